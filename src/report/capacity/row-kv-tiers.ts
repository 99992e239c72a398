import type { KvTiersSection } from "../kv-tiers.js";
import { KV_TIER_ROW_KEYS, type KvTierRowKey, rowMetricIndex } from "./row-keys.js";

/**
 * A sweep row's KV-tier columns (KV_TIER_ROW_KEYS). A tiered point carries its report's kv_tiers section as a
 * Float64Array in KV_TIER_ROW_KEYS order (null statistics as NaN, like the row metrics); a point without tiers
 * carries none, and in a grid where another point has tiers its columns read as a tiered run that never used a
 * lower tier would: every reuse in G1 (reused_ratio_g1 = its prefix_cache_reused_ratio), G2 = G3 = 0, no
 * onboarding (0 requests, 0 bytes, null mean/p50/p99 — as kv_tiers writes them when nothing onboarded).
 */

/** The section's figures in KV_TIER_ROW_KEYS order (worker thread → main thread, transferred). */
export function kvTierRowMetrics(section: KvTiersSection): Float64Array {
  const o = section.onboarding;
  const values: Record<KvTierRowKey, number | null> = {
    reused_ratio_g1: section.reused_ratio_g1,
    reused_ratio_g2: section.reused_ratio_g2,
    reused_ratio_g3: section.reused_ratio_g3,
    onboarding_requests: o.requests,
    onboarding_mean_ms: o.mean_ms,
    onboarding_p50_ms: o.p50_ms,
    onboarding_p99_ms: o.p99_ms,
    onboarding_bytes: o.bytes,
  };
  return Float64Array.from(KV_TIER_ROW_KEYS, (key) => values[key] ?? Number.NaN);
}

const REUSED = rowMetricIndex("prefix_cache_reused_ratio");

/** The columns of a row without tiers: all reuse in G1, nothing onboarded. */
function untieredValues(metrics: Float64Array): Record<KvTierRowKey, number | null> {
  return {
    reused_ratio_g1: metrics[REUSED] as number,
    reused_ratio_g2: 0,
    reused_ratio_g3: 0,
    onboarding_requests: 0,
    onboarding_mean_ms: null,
    onboarding_p50_ms: null,
    onboarding_p99_ms: null,
    onboarding_bytes: 0,
  };
}

/** A row's KV-tier columns by key (NaN read back as null). */
export function kvTierRowValues(row: {
  readonly metrics: Float64Array;
  readonly kvTierMetrics: Float64Array | null;
}): Record<KvTierRowKey, number | null> {
  const tiers = row.kvTierMetrics;
  if (tiers === null) return untieredValues(row.metrics);
  const out = {} as Record<KvTierRowKey, number | null>;
  KV_TIER_ROW_KEYS.forEach((key, k) => {
    const v = tiers[k] as number;
    out[key] = Number.isNaN(v) ? null : v;
  });
  return out;
}
