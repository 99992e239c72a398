import type { TraceColumns } from "../columns.js";

/** What `trace synth` prints after writing: size, span, lengths and the prefix reuse an infinite cache sees. */
export interface SynthSummary {
  readonly requests: number;
  readonly sessions: number;
  readonly spanS: number;
  readonly meanInputTokens: number;
  readonly meanOutputTokens: number;
  readonly inputTokens: number;
  readonly reusedTokens: number;
  /** reusedTokens / inputTokens. */
  readonly reuseRatio: number;
}

/**
 * Prefix reuse with an infinite cache in row (arrival) order: a row reuses its leading blocks up to its first
 * never-seen id (every later block is a miss, because a hash id names its whole prefix); a reused last block
 * counts only the tokens the prompt actually has in it. Then all its ids become seen.
 */
export function summarizeTrace(trace: TraceColumns): SynthSummary {
  const seen = new Set<number>();
  const block = trace.traceBlockSize;
  let inputTokens = 0;
  let outputTokens = 0;
  let reusedTokens = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let singles = 0;
  for (let r = 0; r < trace.count; r++) {
    const isl = trace.inputTokens[r] as number;
    inputTokens += isl;
    outputTokens += trace.outputTokens[r] as number;
    const ts = trace.arrivalMs[r] as number;
    if (ts < first) first = ts;
    if (ts > last) last = ts;
    if ((trace.sessionIndex[r] as number) < 0) singles++;
    const start = trace.hashOffsets[r] as number;
    const end = trace.hashOffsets[r + 1] as number;
    let hit = 0;
    while (start + hit < end && seen.has(trace.hashIds[start + hit] as number)) hit++;
    reusedTokens += Math.min(hit * block, isl);
    for (let k = start; k < end; k++) seen.add(trace.hashIds[k] as number);
  }
  const n = trace.count;
  return {
    requests: n,
    sessions: singles + trace.sessionNames.length,
    spanS: n === 0 || !Number.isFinite(last - first) ? 0 : (last - first) / 1000,
    meanInputTokens: n === 0 ? 0 : inputTokens / n,
    meanOutputTokens: n === 0 ? 0 : outputTokens / n,
    inputTokens,
    reusedTokens,
    reuseRatio: inputTokens === 0 ? 0 : reusedTokens / inputTokens,
  };
}
