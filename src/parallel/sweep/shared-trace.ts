import type { TraceColumns } from "../../trace/columns.js";

/**
 * A trace's columns in one SharedArrayBuffer, built once on the main thread and handed to every worker
 * thread in the pool's workerData: structured cloning a SharedArrayBuffer shares its memory, so a thread reads
 * the columns in place, without a copy per thread or per task. Nothing writes to a trace during a replay.
 *
 *   byte 0                  8·n          16·n          16·n + 8·H
 *   | arrivalMs f64[n] | delayMs f64[n] | hashIds f64[H] |
 *   | inputTokens u32[n] | outputTokens u32[n] | hashOffsets u32[n+1] | sourceLine u32[n] | sessionIndex i32[n] |
 *
 * n = requests, H = hash ids. The float64 block comes first, so every section is aligned to its element
 * size. Session names and the checksum are small and travel as plain strings.
 */
export interface SharedTrace {
  readonly buffer: SharedArrayBuffer;
  readonly count: number;
  readonly hashCount: number;
  readonly traceBlockSize: number;
  readonly sessionNames: readonly string[];
  readonly sourceChecksum: string;
}

function layout(n: number, h: number) {
  const f64 = 8 * (2 * n + h);
  const u32 = 4 * (4 * n + 1);
  return { u32At: f64, i32At: f64 + u32, bytes: f64 + u32 + 4 * n };
}

/** Copies columns into a new SharedArrayBuffer (the one copy). */
export function toSharedTrace(t: TraceColumns): SharedTrace {
  const n = t.count;
  const h = t.hashIds.length;
  const at = layout(n, h);
  const buffer = new SharedArrayBuffer(at.bytes);
  const shared: SharedTrace = {
    buffer,
    count: n,
    hashCount: h,
    traceBlockSize: t.traceBlockSize,
    sessionNames: [...t.sessionNames],
    sourceChecksum: t.sourceChecksum,
  };
  const c = sharedTraceColumns(shared);
  (c.arrivalMs as Float64Array).set(t.arrivalMs);
  (c.delayMs as Float64Array).set(t.delayMs);
  (c.hashIds as Float64Array).set(t.hashIds);
  (c.inputTokens as Uint32Array).set(t.inputTokens);
  (c.outputTokens as Uint32Array).set(t.outputTokens);
  (c.hashOffsets as Uint32Array).set(t.hashOffsets);
  (c.sourceLine as Uint32Array).set(t.sourceLine);
  (c.sessionIndex as Int32Array).set(t.sessionIndex);
  return shared;
}

/** TraceColumns as views into the shared buffer (no copy). */
export function sharedTraceColumns(s: SharedTrace): TraceColumns {
  const n = s.count;
  const h = s.hashCount;
  const at = layout(n, h);
  if (s.buffer.byteLength !== at.bytes) {
    throw new RangeError(`shared trace: buffer has ${s.buffer.byteLength} bytes, layout needs ${at.bytes}`);
  }
  const b = s.buffer;
  return {
    count: n,
    traceBlockSize: s.traceBlockSize,
    arrivalMs: new Float64Array(b, 0, n),
    delayMs: new Float64Array(b, 8 * n, n),
    hashIds: new Float64Array(b, 16 * n, h),
    inputTokens: new Uint32Array(b, at.u32At, n),
    outputTokens: new Uint32Array(b, at.u32At + 4 * n, n),
    hashOffsets: new Uint32Array(b, at.u32At + 8 * n, n + 1),
    sourceLine: new Uint32Array(b, at.u32At + 12 * n + 4, n),
    sessionIndex: new Int32Array(b, at.i32At, n),
    sessionNames: s.sessionNames,
    sourceChecksum: s.sourceChecksum,
  };
}
