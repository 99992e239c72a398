// Building one tick's TickInput from the simulation (docs/design.md#tick-input): worker counts with the
// pending scaling target as `expected`, the traffic window as a TrafficObservation, and the observed-traffic
// record the diagnostics show. FPM caching lives in fpm-cache.ts.

import type { ObservedTraffic } from "../planner/diagnostics-recorder.js";
import { type KvTierDiscount, kvTierDiscount } from "../planner/kv-tier-discount.js";
import type { ForwardPassMetrics, ObservedItl, TrafficObservation, WorkerCounts } from "../planner/types.js";
import type { TrafficStats } from "../signals/traffic-accumulator.js";
import type { StageCounts } from "../sim/cluster/cluster-simulation.js";

export interface PendingTargets {
  readonly prefill: number | null;
  readonly decode: number | null;
}

/**
 * Ready = active workers (starting and draining ones do not serve new work); expected = the pending scaling target
 * if one is outstanding, else the active count. Prefill fields are null in agg (no prefill pool).
 */
export function workerCountsFor(
  prefill: StageCounts | null,
  decode: StageCounts,
  pending: PendingTargets,
): WorkerCounts {
  return {
    readyNumPrefill: prefill === null ? null : prefill.active,
    readyNumDecode: decode.active,
    expectedNumPrefill: prefill === null ? null : (pending.prefill ?? prefill.active),
    expectedNumDecode: pending.decode ?? decode.active,
  };
}

/** The decode tokens' token-weighted mean pass time over a tick's forward passes; null without decode tokens. */
export function observedItlOf(snapshots: readonly ForwardPassMetrics[]): ObservedItl | null {
  let weighted = 0;
  let tokens = 0;
  for (const f of snapshots) {
    const n = f.scheduled.numDecodeRequests;
    if (n === 0 || !(f.wallTime > 0)) continue;
    weighted += f.wallTime * n;
    tokens += n;
  }
  return tokens > 0 ? { meanS: weighted / tokens, tokens } : null;
}

/** Uncached prefill time of one request of `isl` prompt tokens on the first pool's engines, ms. */
export type PrefillMsOf = (isl: number) => number;

/**
 * The tier-aware hit rates of a window whose first pool has KV tiers (docs/planner.md#kv-tier-discount): the
 * router's (GPU overlap, host and disk runs; what the dynamo policy discounts by) and the engines' (their reuse
 * split by tier; what the kvsim policy discounts by). The onboarding time and the prefill time are per admission
 * of the first pool, at its mean prompt. Null when the window has no tier figures.
 */
export function tierDiscountsOf(
  stats: TrafficStats,
  prefillMsOf: PrefillMsOf,
): { readonly router: KvTierDiscount; readonly engine: KvTierDiscount | null } | null {
  const t = stats.kvTiers;
  if (t === undefined) return null;
  const prefillMs = t.admits > 0 ? prefillMsOf(stats.engineQueriedTokens / t.admits) : Number.NaN;
  const router = kvTierDiscount({
    gpuHit: stats.avgKvHitRate,
    hostHit: t.routerHostHitRate,
    diskHit: t.routerDiskHitRate,
    onboardMs: t.onboardMsPerAdmit,
    prefillMs,
  });
  const queried = stats.engineQueriedTokens;
  const engine =
    queried > 0
      ? kvTierDiscount({
          gpuHit: (stats.engineReusedTokens - t.engineHostTokens - t.engineDiskTokens) / queried,
          hostHit: t.engineHostTokens / queried,
          diskHit: t.engineDiskTokens / queried,
          onboardMs: t.onboardMsPerAdmit,
          prefillMs,
        })
      : null;
  return { router, engine };
}

/**
 * A drained window as the planner sees it; null for an empty window (duration ≤ 0), which upstream ignores.
 * With KV-hit-rate awareness off the hit rate is withheld (null), so the planner never discounts prefill work.
 * With KV tiers (`tiers` from tierDiscountsOf) the hit rates are the tier-aware effective ones: the router's
 * for `kvHitRate` and `routerKvHitRate`, the engines' for the reused tokens.
 */
export function trafficObservationOf(
  stats: TrafficStats,
  kvHitRateAwareness: boolean,
  tiers: ReturnType<typeof tierDiscountsOf> = null,
): TrafficObservation | null {
  if (!(stats.durationS > 0)) return null;
  const routerHit = tiers === null ? stats.avgKvHitRate : tiers.router.effectiveHit;
  const engineReused =
    tiers?.engine === null || tiers?.engine === undefined
      ? stats.engineReusedTokens
      : tiers.engine.effectiveHit * stats.engineQueriedTokens;
  return {
    durationS: stats.durationS,
    numReq: stats.numReq,
    isl: stats.avgIsl,
    osl: stats.avgOsl,
    kvHitRate: kvHitRateAwareness ? routerHit : null,
    arrivals: { numReq: stats.arrivedNumReq, isl: stats.arrivedAvgIsl, osl: stats.arrivedAvgOsl },
    engineReusedTokens: engineReused,
    engineQueriedTokens: stats.engineQueriedTokens,
    routerKvHitRate: stats.hitRateCount > 0 ? routerHit : null,
    ttftBucketCounts: stats.ttftBucketCounts,
    itlBucketCounts: stats.itlBucketCounts,
  };
}

/**
 * The observed-traffic record after a drain (sticky until the next one). Latency and length averages are null
 * for a window without completions. The hit rate is what the router saw (0 without admissions, as upstream
 * replay reports it), shown even when awareness keeps it from the planner. The recorder divides `numReq` by the
 * configured throughput interval; the count is rescaled so the chart shows requests per second of the actual
 * window (load-only windows span the load interval, not the throughput interval).
 */
export function observedTrafficOf(
  stats: TrafficStats,
  throughputIntervalS: number,
  previous: ObservedTraffic | null,
): ObservedTraffic | null {
  if (!(stats.durationS > 0)) return previous;
  const served = stats.numReq > 0;
  return {
    ttftMs: served ? stats.avgTtftMs : null,
    itlMs: served ? stats.avgItlMs : null,
    numReq: (stats.numReq / stats.durationS) * throughputIntervalS,
    requestDurationS: null,
    isl: served ? stats.avgIsl : null,
    osl: served ? stats.avgOsl : null,
    kvHitRate: stats.avgKvHitRate,
  };
}
