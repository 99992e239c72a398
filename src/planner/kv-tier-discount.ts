// The KV-reuse discount with host (G2) and disk (G3) tiers (docs/planner.md#kv-tier-discount).
//
// A GPU hit saves its prefill outright. A lower-tier hit saves the same prefill but must first be onboarded:
// the request waits for its transfer (kv-tiers.ts, scheduleOnboarding) before its first prefill chunk. Expressed
// as a share of one request's uncached prefill time, that wait is what the lower-tier hit gives back:
//
//   deduction = onboard_ms / prefill_ms
//   effective = clamp(gpu + max(0, host + disk − deduction))
//
// onboard_ms: mean onboarding time per admission (link wait + bytes ÷ bandwidth, as the engines measured it);
// prefill_ms: the engine perf model's time for one request of the window's mean prompt with nothing cached. So a
// hit on a slow disk (large onboard_ms) saves less than one in host memory, and one slower than recomputing saves
// nothing — but never less than nothing: the engine would not lose the GPU part of the hit.

import { clampKvHitRate } from "./kv-hit-rate.js";

export interface KvTierHits {
  /** Share of the prompt found on the GPU (G1). */
  readonly gpuHit: number;
  /** Shares found in the host (G2) and disk (G3) tiers, after the GPU part. */
  readonly hostHit: number;
  readonly diskHit: number;
  /** Mean onboarding time of a request, ms. */
  readonly onboardMs: number;
  /** Prefill time of a request with nothing cached, ms (≤ 0 or not finite: unknown). */
  readonly prefillMs: number;
}

/** The figures a tick applied (its diagnostics' `kv_tiers`). */
export interface KvTierDiscount extends KvTierHits {
  /** onboard_ms / prefill_ms; host + disk when prefill_ms is unknown (no credit for the lower tiers). */
  readonly onboardDeduction: number;
  /** The hit rate the planner discounts prefill by. */
  readonly effectiveHit: number;
}

export function kvTierDiscount(hits: KvTierHits): KvTierDiscount {
  const lower = hits.hostHit + hits.diskHit;
  const known = Number.isFinite(hits.prefillMs) && hits.prefillMs > 0;
  const onboardDeduction = known ? hits.onboardMs / hits.prefillMs : lower;
  const effectiveHit = clampKvHitRate(hits.gpuHit + Math.max(0, lower - onboardDeduction));
  return { ...hits, onboardDeduction, effectiveHit };
}
