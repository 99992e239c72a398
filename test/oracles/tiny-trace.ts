import type { TraceColumns } from "../../src/trace/columns.js";

/** One hand-written request for tests: prompt length, output length and its trace-block hash ids. */
export interface TinyRequest {
  readonly isl: number;
  readonly osl: number;
  /** One id per trace block: ceil(isl / traceBlockSize) of them. Equal prefixes of ids share KV blocks. */
  readonly hashIds: readonly number[];
  readonly arrivalMs?: number;
}

/** Builds TraceColumns from a handful of requests (tests and benchmarks; no sessions). */
export function tinyTrace(requests: readonly TinyRequest[], traceBlockSize: number): TraceColumns {
  const n = requests.length;
  const hashOffsets = new Uint32Array(n + 1);
  const ids: number[] = [];
  requests.forEach((r, i) => {
    const want = Math.ceil(r.isl / traceBlockSize);
    if (r.hashIds.length !== want) {
      throw new RangeError(`request ${i}: ${r.hashIds.length} hash ids for isl ${r.isl}, need ${want}`);
    }
    ids.push(...r.hashIds);
    hashOffsets[i + 1] = ids.length;
  });
  return {
    count: n,
    traceBlockSize,
    arrivalMs: Float64Array.from(requests, (r) => r.arrivalMs ?? 0),
    inputTokens: Uint32Array.from(requests, (r) => r.isl),
    outputTokens: Uint32Array.from(requests, (r) => r.osl),
    hashOffsets,
    hashIds: Float64Array.from(ids),
    sessionIndex: new Int32Array(n).fill(-1),
    sessionNames: [],
    delayMs: new Float64Array(n).fill(Number.NaN),
    sourceLine: Uint32Array.from(requests, (_, i) => i + 1),
    sourceChecksum: "tiny",
  };
}
