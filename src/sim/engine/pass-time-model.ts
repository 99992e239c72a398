/**
 * The engine's pass-time model (docs/design.md#perf-model): how long one forward pass takes, in milliseconds, before the
 * engine's speedup ratios are applied. Not to be confused with the planner's regression models
 * (src/planner/perf-model/), which the planner fits on observed forward passes to estimate TTFT and ITL.
 * The engine calls prefillMs only for B ≥ 1 and meanIsl > meanPrefix, and decodeMs only for a non-empty batch.
 * The engine arg `perf_model` picks one (pass-time-arg.ts).
 */
export interface PassTimeModel {
  /** Prefill time of B prompts with mean length meanIsl of which meanPrefix tokens are already in KV. */
  prefillMs(batch: number, meanIsl: number, meanPrefix: number): number;
  /** One decode step of `batch` sequences with `activeKvTokens` of `totalKvTokens` KV in use. */
  decodeMs(batch: number, activeKvTokens: number, contextLength: number, totalKvTokens: number): number;
}
