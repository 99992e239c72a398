import { createHash } from "node:crypto";
import { AtomicFileWriter } from "../../util/atomic-write.js";
import type { TraceColumns } from "../columns.js";

/**
 * TraceColumns → Mooncake JSONL, one request per line in row order, keys in the public traces' order and
 * spacing: {"timestamp": 0, "input_length": 6758, "output_length": 500, "hash_ids": [0, 1], "session_id": "s3",
 * "delay": 1500}. `timestamp` is omitted when NaN, `session_id` when the row has none, `delay` when NaN.
 * Numbers print as JavaScript's shortest round-trip form (String(x)), so the bytes depend only on the values.
 *
 * Encoded straight into byte chunks (integers digit by digit, everything else through String) — building a
 * string per line and joining them was most of the cost of writing a million-request trace.
 *
 *   chunk  Uint8Array[CHUNK_BYTES]   | line | line | li…|   a fresh buffer per chunk, handed to `emit` whole
 */

const CHUNK_BYTES = 1 << 20;
/** Longest fixed piece a row writes between room checks (keys, separators, a number). */
const ROOM_BYTES = 64;

const KEY_TIMESTAMP = '{"timestamp": ';
const KEY_INPUT_FIRST = '{"input_length": ';
const KEY_INPUT = ', "input_length": ';
const KEY_OUTPUT = ', "output_length": ';
const KEY_HASHES = ', "hash_ids": [';
const KEY_SESSION = '], "session_id": ';
const KEY_DELAY = ', "delay": ';
const encoder = new TextEncoder();

class ChunkEncoder {
  private buf: Uint8Array;
  private pos: number;
  private readonly emit: (chunk: Uint8Array) => void;

  constructor(emit: (chunk: Uint8Array) => void) {
    this.buf = new Uint8Array(CHUNK_BYTES);
    this.pos = 0;
    this.emit = emit;
  }

  /** Makes sure `bytes` more fit, flushing the current chunk first if needed. */
  room(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = new Uint8Array(bytes);
  }

  flush(): void {
    if (this.pos === 0) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(CHUNK_BYTES, this.buf.length));
    this.pos = 0;
  }

  /** ASCII text; the caller has made room. */
  ascii(text: string): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** Any text as UTF-8 (session names may hold any character). */
  utf8(text: string): void {
    this.room(text.length * 3);
    const { written } = encoder.encodeInto(text, this.buf.subarray(this.pos));
    this.pos += written;
  }

  /** A number as String(x) would print it; the caller has made room for ROOM_BYTES. */
  number(x: number): void {
    if (Number.isInteger(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER) {
      this.unsigned(x);
    } else {
      this.ascii(Object.is(x, -0) ? "0" : String(x));
    }
  }

  private unsigned(x: number): void {
    const buf = this.buf;
    let digits = 1;
    for (let t = x; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(x / 10);
      buf[--p] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
  }
}

function encodeRow(e: ChunkEncoder, trace: TraceColumns, row: number): void {
  e.room(4 * ROOM_BYTES);
  const ts = trace.arrivalMs[row] as number;
  if (Number.isNaN(ts)) {
    e.ascii(KEY_INPUT_FIRST);
  } else {
    e.ascii(KEY_TIMESTAMP);
    e.number(ts);
    e.ascii(KEY_INPUT);
  }
  e.number(trace.inputTokens[row] as number);
  e.ascii(KEY_OUTPUT);
  e.number(trace.outputTokens[row] as number);
  e.ascii(KEY_HASHES);
  const start = trace.hashOffsets[row] as number;
  const end = trace.hashOffsets[row + 1] as number;
  for (let k = start; k < end; k++) {
    e.room(ROOM_BYTES);
    if (k > start) e.ascii(", ");
    e.number(trace.hashIds[k] as number);
  }
  e.room(2 * ROOM_BYTES);
  const session = trace.sessionIndex[row] as number;
  if (session >= 0) {
    e.ascii(KEY_SESSION);
    e.utf8(JSON.stringify(trace.sessionNames[session] ?? ""));
    e.room(2 * ROOM_BYTES);
  } else {
    e.ascii("]");
  }
  const delay = trace.delayMs[row] as number;
  if (!Number.isNaN(delay)) {
    e.ascii(KEY_DELAY);
    e.number(delay);
  }
  e.ascii("}\n");
}

/**
 * Calls `emit` with consecutive chunks of the JSONL bytes (about a megabyte each, split anywhere, even inside a
 * line or a UTF-8 character; each chunk is a buffer of its own that the callee may keep), and
 * `onRows(rowsDone)` after each chunk.
 */
export function forEachJsonlChunk(
  trace: TraceColumns,
  emit: (chunk: Uint8Array) => void,
  onRows?: (rowsDone: number) => void,
): void {
  let rowsDone = 0;
  const e = new ChunkEncoder((chunk) => {
    emit(chunk);
    onRows?.(rowsDone);
  });
  for (let row = 0; row < trace.count; row++) {
    encodeRow(e, trace, row);
    rowsDone = row + 1;
  }
  e.flush();
}

/** The JSONL text of a trace (for tests and small traces; large ones should stream with forEachJsonlChunk). */
export function traceToJsonl(trace: TraceColumns): string {
  const decoder = new TextDecoder();
  let text = "";
  forEachJsonlChunk(trace, (chunk) => {
    text += decoder.decode(chunk, { stream: true });
  });
  return text + decoder.decode();
}

/** sha256 (hex) of the JSONL bytes `writeTraceJsonl` writes for this trace. */
export function traceJsonlChecksum(trace: TraceColumns): string {
  const hash = createHash("sha256");
  forEachJsonlChunk(trace, (chunk) => hash.update(chunk));
  return hash.digest("hex");
}

/**
 * Writes the trace as Mooncake JSONL to `path` ("-" = standard output): the whole file or nothing (temporary
 * file, then rename), every write checked.
 */
export function writeTraceJsonl(
  trace: TraceColumns,
  path: string,
  onRows?: (rowsDone: number) => void,
): void {
  const writer = new AtomicFileWriter(path);
  try {
    forEachJsonlChunk(trace, (chunk) => writer.write(chunk), onRows);
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
}
