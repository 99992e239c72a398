// KV-cache hit-rate discount (docs/planner.md#the-kv-reuse-discount). A prefix-cache hit removes prefill
// compute only: cached blocks still occupy decode KV, so decode sizing never sees this discount.

/** Largest fraction of prefill work a hit rate may remove, so some work is always predicted. */
export const MAX_KV_HIT_RATE_DISCOUNT = 0.95;

/**
 * Hit rate usable as a discount: 0 when absent or NaN (no discount, the pre-awareness behaviour), otherwise
 * clamped into [0, MAX_KV_HIT_RATE_DISCOUNT]. Predicted hit rates are stored unclamped and clamped at each use.
 */
export function clampKvHitRate(x: number | null | undefined): number {
  if (x === null || x === undefined || Number.isNaN(x)) return 0;
  return Math.min(MAX_KV_HIT_RATE_DISCOUNT, Math.max(0, x));
}

/** Prefill tokens left to compute after prefix-cache hits: `tokens · (1 − clamp(hit))`. */
export function discountPrefillTokens(tokens: number, kvHitRate: number | null | undefined): number {
  return tokens * (1 - clampKvHitRate(kvHitRate));
}
