// Trace columns for workload-driver tests: rows given only by timestamp, session and delay (one hash id each,
// fixed lengths — irrelevant to arrival timing), and a helper that pops every ready request.
import type { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import type { TraceColumns } from "../../src/trace/columns.js";

export interface TimingRow {
  ts: number;
  session?: string;
  delay?: number;
}

/** Columns for `rows`; source lines number from `firstLine` (so messages can be told from row indexes). */
export function rowsTrace(rows: TimingRow[], firstLine = 1): TraceColumns {
  const n = rows.length;
  const names: string[] = [];
  const hashOffsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) hashOffsets[i + 1] = i + 1;
  return {
    count: n,
    traceBlockSize: 512,
    arrivalMs: Float64Array.from(rows, (r) => r.ts),
    inputTokens: new Uint32Array(n).fill(100),
    outputTokens: new Uint32Array(n).fill(10),
    hashOffsets,
    hashIds: Float64Array.from(rows, (_, i) => i),
    sessionIndex: Int32Array.from(rows, (r) => {
      if (r.session === undefined) return -1;
      if (!names.includes(r.session)) names.push(r.session);
      return names.indexOf(r.session);
    }),
    sessionNames: names,
    delayMs: Float64Array.from(rows, (r) => r.delay ?? Number.NaN),
    sourceLine: Uint32Array.from(rows, (_, i) => i + firstLine),
    sourceChecksum: "",
  };
}

const ids = new Int32Array(8);
const stamps = new Float64Array(8);

/** popReady as [request id, release ms] pairs (at most 8 per call). */
export function popReady(d: WorkloadDriver, now: number, inFlight = 0): [number, number][] {
  const n = d.popReady(now, inFlight, ids, stamps);
  return Array.from({ length: n }, (_, i) => [ids[i] as number, stamps[i] as number]);
}
