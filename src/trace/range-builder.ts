/**
 * Growable columns for the rows parsed from one byte range of a JSONL trace.
 *
 *   per row (doubling typed arrays, trimmed on finish):
 *     arrivalMs Float64 | inputTokens Uint32 | outputTokens Uint32 | hashEnd Uint32 | sessionIndex Int32
 *     | delayMs Float64 | sourceLine Uint32 (1-based, local to the range)
 *   hash ids (the big column): a list of Float64Array chunks, each allocated once, never copied while growing
 *     [chunk 0: closed][chunk 1: closed]...[current: `used` of its length]
 *   A line's ids are parsed straight into the current chunk past `used` and kept by commitHashes; a chunk is
 *   closed early when a line might not fit (at most one id per 2 bytes of line), so a line never spans two.
 *
 * Invariants: hashEnd[i] = number of hash ids after row i (so row i holds ids hashEnd[i-1] .. hashEnd[i]);
 * sessionIndex indexes `sessionNames`, local to the range, in first-appearance order; -1 = no session_id. A session
 * is keyed by its id's JSON type and text: `1` and `"1"` are two entries (sessionIsInteger tells them apart), so
 * assembly can refuse a trace that writes one session id both ways.
 * Chunked hash storage keeps peak memory near the final size for multi-GB traces (doubling would need 3×).
 */

const FIRST_ROW_CAPACITY = 1024;
const MIN_HASH_CHUNK = 1 << 14;
/**
 * Floor of the first chunk only: a tiny input (a test's few lines, one pasted request) gets a chunk its size,
 * not 128 KiB — allocating and collecting that buffer was ~90 % of parsing a 500-byte trace (0.9 ms).
 */
const MIN_FIRST_HASH_CHUNK = 64;
/** 2^27 ids = 1 GiB of address space: the largest first guess (only pages written are ever backed). */
const MAX_FIRST_HASH_CHUNK = 1 << 27;
const MAX_HASH_CHUNK = 1 << 24;

/** The finished columns of one range: views of exact length, each over a buffer of its own (transferable). */
export interface RangeColumns {
  readonly rows: number;
  readonly arrivalMs: Float64Array;
  readonly inputTokens: Uint32Array;
  readonly outputTokens: Uint32Array;
  /** [rows] cumulative hash count after each row (local: starts from 0). */
  readonly hashEnd: Uint32Array;
  /** The range's hash ids in order, split into chunks (exact sizes). */
  readonly hashChunks: Float64Array[];
  readonly hashCount: number;
  readonly sessionIndex: Int32Array;
  readonly sessionNames: string[];
  /** [sessionNames.length] 1 when the session id was a JSON integer, 0 for a string. */
  readonly sessionIsInteger: Uint8Array;
  readonly delayMs: Float64Array;
  readonly sourceLine: Uint32Array;
}

export class RangeColumnsBuilder {
  rows: number;
  private capacity: number;
  private arrivalMs: Float64Array;
  private inputTokens: Uint32Array;
  private outputTokens: Uint32Array;
  private hashEnd: Uint32Array;
  private sessionIndex: Int32Array;
  private delayMs: Float64Array;
  private sourceLine: Uint32Array;
  private readonly sessionNames: string[];
  private readonly sessionIsInteger: number[];
  private readonly stringSessions: Map<string, number>;
  private readonly integerSessions: Map<string, number>;
  private readonly fullChunks: Float64Array[];
  private chunk: Float64Array;
  private chunkUsed: number;
  hashCount: number;

  /**
   * Capacity hints (e.g. from the range's byte length): rows beyond `expectedRows` double the row arrays;
   * ids beyond `expectedHashes` open further chunks. Guessing high is cheap: a fresh typed array is zeroed
   * lazily by the OS, so untouched capacity costs address space, not memory or page faults.
   */
  constructor(expectedRows = FIRST_ROW_CAPACITY, expectedHashes = MIN_HASH_CHUNK) {
    const cap = Math.max(16, Math.min(Math.ceil(expectedRows), 1 << 24));
    this.rows = 0;
    this.capacity = cap;
    this.arrivalMs = new Float64Array(cap);
    this.inputTokens = new Uint32Array(cap);
    this.outputTokens = new Uint32Array(cap);
    this.hashEnd = new Uint32Array(cap);
    this.sessionIndex = new Int32Array(cap);
    this.delayMs = new Float64Array(cap);
    this.sourceLine = new Uint32Array(cap);
    this.sessionNames = [];
    this.sessionIsInteger = [];
    this.stringSessions = new Map();
    this.integerSessions = new Map();
    this.fullChunks = [];
    this.chunk = new Float64Array(
      Math.max(MIN_FIRST_HASH_CHUNK, Math.min(Math.ceil(expectedHashes), MAX_FIRST_HASH_CHUNK)),
    );
    this.chunkUsed = 0;
    this.hashCount = 0;
  }

  /** Local index of a session id (its text, and whether it was a JSON integer), interned on first sight. */
  sessionId(name: string, integer: boolean): number {
    const lookup = integer ? this.integerSessions : this.stringSessions;
    const known = lookup.get(name);
    if (known !== undefined) return known;
    const id = this.sessionNames.length;
    this.sessionNames.push(name);
    this.sessionIsInteger.push(integer ? 1 : 0);
    lookup.set(name, id);
    return id;
  }

  /**
   * A chunk with room for at least `maxCount` more ids, starting at index `hashWriteAt`. The caller parses
   * straight into it and then calls commitHashes (or nothing, to drop a bad line's ids).
   */
  hashChunkFor(maxCount: number): Float64Array {
    if (this.chunk.length - this.chunkUsed < maxCount) {
      if (this.chunkUsed > 0) this.fullChunks.push(this.chunk.subarray(0, this.chunkUsed));
      const size = Math.min(Math.max(this.chunk.length, MIN_HASH_CHUNK) * 2, MAX_HASH_CHUNK);
      this.chunk = new Float64Array(Math.max(size, maxCount));
      this.chunkUsed = 0;
    }
    return this.chunk;
  }

  /** Where the next id goes in the chunk hashChunkFor returned. */
  get hashWriteAt(): number {
    return this.chunkUsed;
  }

  /** Keeps the `count` ids just written after hashWriteAt. */
  commitHashes(count: number): void {
    if (this.hashCount + count > 0xffff_ffff) {
      throw new RangeError("a trace range holds more than 2^32 - 1 hash ids");
    }
    this.chunkUsed += count;
    this.hashCount += count;
  }

  /** Appends one row; its hash ids must have been appended just before. */
  pushRow(
    arrivalMs: number,
    inputTokens: number,
    outputTokens: number,
    sessionIndex: number,
    delayMs: number,
    sourceLine: number,
  ): void {
    if (this.rows === this.capacity) this.grow();
    const i = this.rows;
    this.arrivalMs[i] = arrivalMs;
    this.inputTokens[i] = inputTokens;
    this.outputTokens[i] = outputTokens;
    this.hashEnd[i] = this.hashCount;
    this.sessionIndex[i] = sessionIndex;
    this.delayMs[i] = delayMs;
    this.sourceLine[i] = sourceLine;
    this.rows = i + 1;
  }

  private grow(): void {
    const cap = this.capacity * 2;
    this.arrivalMs = growF64(this.arrivalMs, cap);
    this.inputTokens = growU32(this.inputTokens, cap);
    this.outputTokens = growU32(this.outputTokens, cap);
    this.hashEnd = growU32(this.hashEnd, cap);
    const session = new Int32Array(cap);
    session.set(this.sessionIndex);
    this.sessionIndex = session;
    this.delayMs = growF64(this.delayMs, cap);
    this.sourceLine = growU32(this.sourceLine, cap);
    this.capacity = cap;
  }

  /**
   * The columns as views of exactly `rows` (and `hashCount`) entries; no copy is made, so the slack of each
   * backing buffer travels with it (untouched, it costs no memory). The builder must not be used afterwards.
   */
  finish(): RangeColumns {
    const n = this.rows;
    const chunks = this.fullChunks.slice();
    if (this.chunkUsed > 0) chunks.push(this.chunk.subarray(0, this.chunkUsed));
    return {
      rows: n,
      arrivalMs: this.arrivalMs.subarray(0, n),
      inputTokens: this.inputTokens.subarray(0, n),
      outputTokens: this.outputTokens.subarray(0, n),
      hashEnd: this.hashEnd.subarray(0, n),
      hashChunks: chunks,
      hashCount: this.hashCount,
      sessionIndex: this.sessionIndex.subarray(0, n),
      sessionNames: this.sessionNames.slice(),
      sessionIsInteger: Uint8Array.from(this.sessionIsInteger),
      delayMs: this.delayMs.subarray(0, n),
      sourceLine: this.sourceLine.subarray(0, n),
    };
  }
}

function growF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function growU32(a: Uint32Array, cap: number): Uint32Array {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}
