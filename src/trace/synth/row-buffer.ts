import type { TraceColumns } from "../columns.js";
import { traceJsonlChecksum } from "./jsonl-writer.js";

/**
 * Rows of a synthetic trace in generation order (session by session), grown by doubling, then finalised into
 * TraceColumns in file order.
 *
 *   arrivalMs  Float64Array[cap]   timestamp (ms, rounded to µs)
 *   input/output Uint32Array[cap]  tokens
 *   session    Int32Array[cap]     generation index of a multi-turn session, -1 for a single request
 *   delayMs    Float64Array[cap]   think time before this turn, NaN on first turns
 *   hashStart  Uint32Array[cap+1]  row r's ids are hashIds[hashStart[r] .. hashStart[r+1])
 *   hashIds    Float64Array[hcap]  provisional ids: any non-negative integers below `idLimit`
 */
export class RowBuffer {
  count: number;
  hashCount: number;
  arrivalMs: Float64Array;
  inputTokens: Uint32Array;
  outputTokens: Uint32Array;
  session: Int32Array;
  delayMs: Float64Array;
  hashStart: Uint32Array;
  hashIds: Float64Array;

  constructor(initialRows = 1024) {
    const cap = Math.max(16, initialRows);
    this.count = 0;
    this.hashCount = 0;
    this.arrivalMs = new Float64Array(cap);
    this.inputTokens = new Uint32Array(cap);
    this.outputTokens = new Uint32Array(cap);
    this.session = new Int32Array(cap);
    this.delayMs = new Float64Array(cap);
    this.hashStart = new Uint32Array(cap + 1);
    this.hashIds = new Float64Array(cap * 4);
  }

  /** Reserves room for `blocks` more ids and returns the offset where the next row's ids go. */
  reserveHashes(blocks: number): number {
    const need = this.hashCount + blocks;
    if (need > this.hashIds.length) {
      const grown = new Float64Array(Math.max(need, this.hashIds.length * 2));
      grown.set(this.hashIds.subarray(0, this.hashCount));
      this.hashIds = grown;
    }
    return this.hashCount;
  }

  /** Appends a row whose `blocks` ids were written at the offset reserveHashes returned. */
  pushRow(
    arrivalMs: number,
    inputTokens: number,
    outputTokens: number,
    session: number,
    delayMs: number,
    blocks: number,
  ): void {
    if (this.count === this.arrivalMs.length) this.growRows();
    const r = this.count;
    this.arrivalMs[r] = arrivalMs;
    this.inputTokens[r] = inputTokens;
    this.outputTokens[r] = outputTokens;
    this.session[r] = session;
    this.delayMs[r] = delayMs;
    this.hashStart[r] = this.hashCount;
    this.hashCount += blocks;
    this.hashStart[r + 1] = this.hashCount;
    this.count = r + 1;
  }

  private growRows(): void {
    const cap = this.arrivalMs.length * 2;
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const u32 = (a: Uint32Array, extra: number): Uint32Array => {
      const b = new Uint32Array(cap + extra);
      b.set(a);
      return b;
    };
    this.arrivalMs = f64(this.arrivalMs);
    this.delayMs = f64(this.delayMs);
    this.inputTokens = u32(this.inputTokens, 0);
    this.outputTokens = u32(this.outputTokens, 0);
    this.hashStart = u32(this.hashStart, 1);
    const s = new Int32Array(cap);
    s.set(this.session);
    this.session = s;
  }
}

/**
 * File order and final ids: rows stably sorted by timestamp (a session's turns have non-decreasing timestamps,
 * so they stay in turn order); multi-turn sessions named `s<generation index>` and indexed in order of first
 * appearance; hash ids renumbered 0, 1, 2, … in order of first appearance, like the public Mooncake traces.
 * `idLimit` bounds the provisional ids. The checksum is the sha256 of the JSONL the writer would produce.
 */
export function finalizeRows(rows: RowBuffer, idLimit: number, traceBlockSize: number): TraceColumns {
  const n = rows.count;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const ts = rows.arrivalMs;
  order.sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b);

  const arrivalMs = new Float64Array(n);
  const inputTokens = new Uint32Array(n);
  const outputTokens = new Uint32Array(n);
  const hashOffsets = new Uint32Array(n + 1);
  const hashIds = new Float64Array(rows.hashCount);
  const sessionIndex = new Int32Array(n);
  const delayMs = new Float64Array(n);
  const sourceLine = new Uint32Array(n);
  const sessionNames: string[] = [];
  const sessionFileIndex = new Map<number, number>();
  const idMap = new Int32Array(idLimit).fill(-1);
  let nextId = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const r = order[i] as number;
    arrivalMs[i] = ts[r] as number;
    inputTokens[i] = rows.inputTokens[r] as number;
    outputTokens[i] = rows.outputTokens[r] as number;
    delayMs[i] = rows.delayMs[r] as number;
    sourceLine[i] = i + 1;
    const genSession = rows.session[r] as number;
    if (genSession < 0) {
      sessionIndex[i] = -1;
    } else {
      let idx = sessionFileIndex.get(genSession);
      if (idx === undefined) {
        idx = sessionNames.length;
        sessionNames.push(`s${genSession}`);
        sessionFileIndex.set(genSession, idx);
      }
      sessionIndex[i] = idx;
    }
    const end = rows.hashStart[r + 1] as number;
    for (let k = rows.hashStart[r] as number; k < end; k++) {
      const id = rows.hashIds[k] as number;
      let mapped = idMap[id] as number;
      if (mapped < 0) {
        mapped = nextId++;
        idMap[id] = mapped;
      }
      hashIds[h++] = mapped;
    }
    hashOffsets[i + 1] = h;
  }
  // The checksum costs a full serialisation, so it is computed on first read (a CLI run that only writes the
  // file never pays for it twice).
  let checksum: string | null = null;
  const columns: TraceColumns = {
    count: n,
    traceBlockSize,
    arrivalMs,
    inputTokens,
    outputTokens,
    hashOffsets,
    hashIds,
    sessionIndex,
    sessionNames,
    delayMs,
    sourceLine,
    get sourceChecksum(): string {
      if (checksum === null) checksum = traceJsonlChecksum(columns);
      return checksum;
    },
  };
  return columns;
}
