import type { ForwardPassMetrics } from "./forward-pass-metrics.js";

/**
 * Forward-pass snapshot (docs/design.md#forward-pass-metrics) as a row of doubles, for buffering without
 * objects:
 *
 *   [WALL_TIME_S | SCHED_NUM_PREFILL SCHED_SUM_PREFILL_TOKENS SCHED_VAR_PREFILL_LENGTH SCHED_SUM_PREFILL_KV_TOKENS
 *    | SCHED_NUM_DECODE SCHED_SUM_DECODE_KV_TOKENS SCHED_VAR_DECODE_KV_TOKENS
 *    | QUEUED_NUM_PREFILL QUEUED_SUM_PREFILL_TOKENS QUEUED_VAR_PREFILL_LENGTH
 *    | QUEUED_NUM_DECODE QUEUED_SUM_DECODE_KV_TOKENS QUEUED_VAR_DECODE_KV_TOKENS]
 *
 * Variances are population variances (Welford); 0 for an empty group.
 */
export const FPM_LAYOUT = {
  /** Simulated pass duration, seconds. */
  WALL_TIME_S: 0,
  /** Scheduled entries with new prompt tokens this pass. */
  SCHED_NUM_PREFILL: 1,
  /** Tokens those entries computed this pass. */
  SCHED_SUM_PREFILL_TOKENS: 2,
  /** Variance of their prompt lengths. */
  SCHED_VAR_PREFILL_LENGTH: 3,
  /** Prompt tokens already in KV before this pass (cached prefix or earlier chunks). */
  SCHED_SUM_PREFILL_KV_TOKENS: 4,
  /** Scheduled entries without new prompt tokens (decode steps, fully cached prompts, recomputes). */
  SCHED_NUM_DECODE: 5,
  /** Σ sequence length of those entries when scheduled. */
  SCHED_SUM_DECODE_KV_TOKENS: 6,
  SCHED_VAR_DECODE_KV_TOKENS: 7,
  /** Waiting requests that were never preempted, after this pass. */
  QUEUED_NUM_PREFILL: 8,
  /** Σ of their prompt lengths. */
  QUEUED_SUM_PREFILL_TOKENS: 9,
  QUEUED_VAR_PREFILL_LENGTH: 10,
  /** Preempted requests waiting to resume, after this pass. */
  QUEUED_NUM_DECODE: 11,
  /** Σ of their lengths (prompt + generated). */
  QUEUED_SUM_DECODE_KV_TOKENS: 12,
  QUEUED_VAR_DECODE_KV_TOKENS: 13,
  FIELD_COUNT: 14,
} as const;

/** The planner's ForwardPassMetrics from the FIELD_COUNT doubles at `fpm[offset ..]` (dp rank 0). */
export function fpmToMetrics(
  fpm: Float64Array,
  offset: number,
  workerId: string,
  counterId: number,
): ForwardPassMetrics {
  const f = (index: number): number => fpm[offset + index] as number;
  const L = FPM_LAYOUT;
  return {
    workerId,
    dpRank: 0,
    counterId,
    wallTime: f(L.WALL_TIME_S),
    scheduled: {
      numPrefillRequests: f(L.SCHED_NUM_PREFILL),
      sumPrefillTokens: f(L.SCHED_SUM_PREFILL_TOKENS),
      varPrefillLength: f(L.SCHED_VAR_PREFILL_LENGTH),
      sumPrefillKvTokens: f(L.SCHED_SUM_PREFILL_KV_TOKENS),
      numDecodeRequests: f(L.SCHED_NUM_DECODE),
      sumDecodeKvTokens: f(L.SCHED_SUM_DECODE_KV_TOKENS),
      varDecodeKvTokens: f(L.SCHED_VAR_DECODE_KV_TOKENS),
    },
    queued: {
      numPrefillRequests: f(L.QUEUED_NUM_PREFILL),
      sumPrefillTokens: f(L.QUEUED_SUM_PREFILL_TOKENS),
      varPrefillLength: f(L.QUEUED_VAR_PREFILL_LENGTH),
      numDecodeRequests: f(L.QUEUED_NUM_DECODE),
      sumDecodeKvTokens: f(L.QUEUED_SUM_DECODE_KV_TOKENS),
      varDecodeKvTokens: f(L.QUEUED_VAR_DECODE_KV_TOKENS),
    },
  };
}
