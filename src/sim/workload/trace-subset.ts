import type { TraceColumns } from "../../trace/columns.js";
import { buildSessionTable } from "./session-table.js";

/**
 * One cell's slice of a trace: the rows `rows` (ascending; row i of the slice is request rows[i] of the whole
 * trace), each column copied into its own exact-size buffer so the slice can be transferred to the cell's thread.
 * Session ids are renumbered to the sessions the slice holds (first-appearance order is kept, so the workload
 * driver orders sessions as it would in the whole trace). `originMs` is the whole trace's arrival epoch: every
 * cell keeps the same clock (WorkloadDriver honours TraceColumns.arrivalOriginMs).
 */
export function cellTrace(trace: TraceColumns, rows: Uint32Array, originMs: number | null): TraceColumns {
  const n = rows.length;
  const arrivalMs = new Float64Array(n);
  const inputTokens = new Uint32Array(n);
  const outputTokens = new Uint32Array(n);
  const delayMs = new Float64Array(n);
  const sourceLine = new Uint32Array(n);
  const sessionIndex = new Int32Array(n);
  const hashOffsets = new Uint32Array(n + 1);
  let hashCount = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number;
    hashCount += (trace.hashOffsets[r + 1] as number) - (trace.hashOffsets[r] as number);
  }
  const hashIds = new Float64Array(hashCount);
  const newSessionOf = new Map<number, number>();
  const sessionNames: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number;
    arrivalMs[i] = trace.arrivalMs[r] as number;
    inputTokens[i] = trace.inputTokens[r] as number;
    outputTokens[i] = trace.outputTokens[r] as number;
    delayMs[i] = trace.delayMs[r] as number;
    sourceLine[i] = trace.sourceLine[r] as number;
    const start = trace.hashOffsets[r] as number;
    const end = trace.hashOffsets[r + 1] as number;
    hashIds.set(trace.hashIds.subarray(start, end), at);
    at += end - start;
    hashOffsets[i + 1] = at;
    const s = trace.sessionIndex[r] as number;
    if (s < 0) sessionIndex[i] = -1;
    else {
      let local = newSessionOf.get(s);
      if (local === undefined) {
        local = sessionNames.length;
        newSessionOf.set(s, local);
        sessionNames.push(trace.sessionNames[s] as string);
      }
      sessionIndex[i] = local;
    }
  }
  return {
    count: n,
    traceBlockSize: trace.traceBlockSize,
    arrivalMs,
    inputTokens,
    outputTokens,
    hashOffsets,
    hashIds,
    sessionIndex,
    sessionNames,
    delayMs,
    sourceLine,
    sourceChecksum: trace.sourceChecksum,
    ...(originMs === null ? {} : { arrivalOriginMs: originMs }),
  };
}

/** The buffers a cell trace owns (its transfer list). */
export function cellTraceBuffers(t: TraceColumns): ArrayBuffer[] {
  const views = [
    t.arrivalMs,
    t.inputTokens,
    t.outputTokens,
    t.hashOffsets,
    t.hashIds,
    t.sessionIndex,
    t.delayMs,
    t.sourceLine,
  ];
  const out: ArrayBuffer[] = [];
  for (const v of views) if (v.buffer instanceof ArrayBuffer && !out.includes(v.buffer)) out.push(v.buffer);
  return out;
}

/**
 * The epoch the whole trace's replay counts from: the earliest first-turn timestamp (WorkloadDriver's rule), or
 * null when a first turn has none (then only a closed-loop replay can run, and arrival times do not come from the
 * trace).
 */
export function traceArrivalOriginMs(trace: TraceColumns, sourceName = "trace"): number | null {
  if (trace.arrivalOriginMs !== undefined) return trace.arrivalOriginMs;
  const sessions = buildSessionTable(trace, sourceName);
  let earliest = Number.POSITIVE_INFINITY;
  for (let s = 0; s < sessions.sessionCount; s++) {
    const t = sessions.firstArrivalMs[s] as number;
    if (Number.isNaN(t)) return null;
    if (t < earliest) earliest = t;
  }
  return Number.isFinite(earliest) ? earliest : null;
}
