// How fast could a prompt's first token come at best? Its prefill on an idle engine with an empty cache: the
// prompt in chunks of max_num_batched_tokens, each chunk one pass priced by the engine's pass-time model (new tokens
// only) and divided by the prefill speedup, as the scheduler does. The study sets each workload's TTFT SLA from
// the p99 of this bound, so the SLA is one that prompts can meet.

import { parseEngineArgs } from "../sim/engine/engine-args.js";
import { passTimeModelFromArgs } from "../sim/engine/pass-time-arg.js";
import type { TraceColumns } from "../trace/columns.js";

/** Idle, cache-less prefill time of each prompt of `trace`, ms, for engines with `engineArgs` (snake_case). */
export function idlePrefillMs(trace: TraceColumns, engineArgs: unknown): Float64Array {
  const args = parseEngineArgs(engineArgs, "study engine args");
  const passTime = passTimeModelFromArgs(args);
  const chunkTokens = args.max_num_batched_tokens ?? Number.POSITIVE_INFINITY;
  const divisor = args.speedup_ratio > 0 ? args.speedup_ratio : 1;
  const out = new Float64Array(trace.count);
  for (let i = 0; i < trace.count; i++) {
    let left = trace.inputTokens[i] as number;
    let ms = 0;
    while (left > 0) {
      const chunk = Math.min(left, chunkTokens);
      ms += passTime.prefillMs(1, chunk, 0);
      left -= chunk;
    }
    out[i] = ms / divisor;
  }
  return out;
}

/** Nearest-rank percentile (sorted index round((n − 1)·p/100)), as the replay report's; 0 for no values. */
export function percentileOf(values: Float64Array, p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.round(((sorted.length - 1) * p) / 100)] as number;
}
