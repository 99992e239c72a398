// Replay traffic window (docs/design.md#traffic-accumulator): what the planner's traffic scrape would have
// seen between two drains. Requests count at completion; the KV hit rate is the mean of per-request
// overlap/isl block ratios recorded at router admission (request-weighted, like the router's Prometheus
// histogram), 0.0 when nothing was admitted.
//
// kvsim adds what the reference window lacks (docs/planner.md#kvsim-signals): requests counted at arrival (a
// frontend's request counter), and the prefix-cache reuse the engines realised at admission (vLLM's prefix-cache
// hit and query token counters), beside the router's predicted overlap.
//
// Export layout (toFloat64Array), one float64 per field, for merging shard accumulators:
//   [0] windowStartMs  [1] numReq      [2] totalIsl   [3] totalOsl    [4] totalTtftMs
//   [5] ttftCount      [6] totalItlMs  [7] itlCount   [8] hitRateSum  [9] hitRateCount
//   [10] arrived       [11] arrivedIsl [12] arrivedOsl [13] engineReusedTokens [14] engineQueriedTokens
//   [15 ..] first tokens per TTFT bucket (latency-buckets.ts), counted when the first token comes
//   [.. end] finished requests per mean-ITL bucket, counted at completion (requests with ≥ 2 tokens)
//   then, only when the first pool has KV tiers and the window saw them (docs/design.md#kv-tiers; absent =
//   zeros, so a replay without tiers exports the same bytes as before tiers existed):
//   [+0] routerHostHitSum [+1] routerDiskHitSum   Σ host / disk run blocks ÷ isl blocks over router admissions
//   [+2] engineHostTokens [+3] engineDiskTokens   prompt tokens the engines onboarded from host / disk
//   [+4] onboardMsSum     [+5] tieredAdmits       onboarding time (link wait + transfer) over engine admissions

import {
  bucketOf,
  ITL_BUCKET_BOUNDS_MS,
  ITL_BUCKET_COUNT,
  TTFT_BUCKET_COUNT,
  ttftBucketOf,
} from "./latency-buckets.js";

/** The window's lower-tier figures (present only when the first pool has a host or disk tier). */
export interface TrafficTierStats {
  /** Means over the router's admissions of the host / disk run after the GPU overlap ÷ isl blocks. */
  readonly routerHostHitRate: number;
  readonly routerDiskHitRate: number;
  /** Prompt tokens the first pool's engines found in host / disk at admission (part of engineReusedTokens). */
  readonly engineHostTokens: number;
  readonly engineDiskTokens: number;
  /** Mean onboarding time over the first pool's admissions (0 for those that onboarded nothing), ms. */
  readonly onboardMsPerAdmit: number;
  readonly admits: number;
}

export interface TrafficStats {
  readonly durationS: number;
  readonly numReq: number;
  readonly avgIsl: number;
  readonly avgOsl: number;
  readonly avgTtftMs: number;
  readonly avgItlMs: number;
  /** Mean of per-admission overlap/isl ratios; 0 when there were no admissions. */
  readonly avgKvHitRate: number;
  readonly hitRateCount: number;
  readonly hitRateSum: number;
  /** Requests that arrived in the window (counted at arrival, not completion). */
  readonly arrivedNumReq: number;
  /** Mean prompt / requested output length of those arrivals; 0 without arrivals. */
  readonly arrivedAvgIsl: number;
  readonly arrivedAvgOsl: number;
  /** Prompt tokens the engines found cached / looked up at admission in the window (first pool). */
  readonly engineReusedTokens: number;
  readonly engineQueriedTokens: number;
  /** First tokens of the window per TTFT bucket (TTFT_BUCKET_BOUNDS_MS). */
  readonly ttftBucketCounts: readonly number[];
  /** Requests finished in the window per mean-ITL bucket (ITL_BUCKET_BOUNDS_MS; ≥ 2 output tokens only). */
  readonly itlBucketCounts: readonly number[];
  /** Lower-tier figures; absent when the first pool has no tiers (or the window saw none of their work). */
  readonly kvTiers?: TrafficTierStats;
}

const FIXED_FIELDS = 15;
export const TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH = FIXED_FIELDS + TTFT_BUCKET_COUNT + ITL_BUCKET_COUNT;
/** Fields appended to the export when the window has lower-tier figures. */
export const TRAFFIC_TIER_FIELDS = 6;

/** Whether an export of `n` floats has a layout fromFloat64Array reads (with or without the tier fields). */
export function isTrafficLayoutLength(n: number): boolean {
  return (
    n === TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH || n === TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH + TRAFFIC_TIER_FIELDS
  );
}

export class TrafficAccumulator {
  private windowStartMs: number;
  private numReq = 0;
  private totalIsl = 0;
  private totalOsl = 0;
  private totalTtftMs = 0;
  private ttftCount = 0;
  private totalItlMs = 0;
  private itlCount = 0;
  private hitRateSum = 0;
  private hitRateCount = 0;
  private arrived = 0;
  private arrivedIsl = 0;
  private arrivedOsl = 0;
  private engineReused = 0;
  private engineQueried = 0;
  private readonly ttftBuckets = new Float64Array(TTFT_BUCKET_COUNT);
  private readonly itlBuckets = new Float64Array(ITL_BUCKET_COUNT);
  /** routerHostHitSum, routerDiskHitSum, engineHostTokens, engineDiskTokens, onboardMsSum, tieredAdmits. */
  private readonly tiers = new Float64Array(TRAFFIC_TIER_FIELDS);

  constructor(windowStartMs = 0) {
    this.windowStartMs = windowStartMs;
  }

  /** A request completed. Latency samples count only when positive (a 0 means "not measured"). */
  onRequest(isl: number, osl: number, latencies: { ttftMs: number; meanItlMs: number } | null): void {
    this.numReq += 1;
    this.totalIsl += isl;
    this.totalOsl += osl;
    if (latencies !== null) {
      if (latencies.ttftMs > 0) {
        this.totalTtftMs += latencies.ttftMs;
        this.ttftCount += 1;
      }
      if (latencies.meanItlMs > 0) {
        this.totalItlMs += latencies.meanItlMs;
        this.itlCount += 1;
        const b = bucketOf(ITL_BUCKET_BOUNDS_MS, latencies.meanItlMs);
        this.itlBuckets[b] = (this.itlBuckets[b] as number) + 1;
      }
    }
  }

  /**
   * Router admission: `overlapBlocks` of the request's `islBlocks` prompt blocks were already cached on the
   * chosen worker's GPU, and the `hostBlocks` + `diskBlocks` after them in its lower tiers.
   */
  onAdmission(overlapBlocks: number, islBlocks: number, hostBlocks = 0, diskBlocks = 0): void {
    if (islBlocks === 0) return;
    this.hitRateSum += overlapBlocks / islBlocks;
    this.hitRateCount += 1;
    const t = this.tiers;
    if (hostBlocks > 0) t[0] = (t[0] as number) + hostBlocks / islBlocks;
    if (diskBlocks > 0) t[1] = (t[1] as number) + diskBlocks / islBlocks;
  }

  /**
   * An engine of a tiered first pool admitted a request (after onEngineAdmit): `hostTokens` and `diskTokens` of
   * its reused tokens came from its host and disk tiers, onboarded in `onboardMs`.
   */
  onTieredEngineAdmit(hostTokens: number, diskTokens: number, onboardMs: number): void {
    const t = this.tiers;
    t[2] = (t[2] as number) + hostTokens;
    t[3] = (t[3] as number) + diskTokens;
    t[4] = (t[4] as number) + onboardMs;
    t[5] = (t[5] as number) + 1;
  }

  /** A request arrived (released to the first router). */
  onArrival(isl: number, osl: number): void {
    this.arrived += 1;
    this.arrivedIsl += isl;
    this.arrivedOsl += osl;
  }

  /** An engine of the first pool admitted a request and found `reusedTokens` of its `promptTokens` cached. */
  onEngineAdmit(reusedTokens: number, promptTokens: number): void {
    this.engineReused += reusedTokens;
    this.engineQueried += promptTokens;
  }

  /** A request's first token came `ttftMs` after its arrival. */
  onFirstToken(ttftMs: number): void {
    const b = ttftBucketOf(ttftMs);
    this.ttftBuckets[b] = (this.ttftBuckets[b] as number) + 1;
  }

  /** Closes the window at `nowMs`, returns its statistics and starts a new window there. */
  drain(nowMs: number): TrafficStats {
    const stats: TrafficStats = {
      durationS: (nowMs - this.windowStartMs) / 1000,
      numReq: this.numReq,
      avgIsl: this.numReq > 0 ? this.totalIsl / this.numReq : 0,
      avgOsl: this.numReq > 0 ? this.totalOsl / this.numReq : 0,
      avgTtftMs: this.ttftCount > 0 ? this.totalTtftMs / this.ttftCount : 0,
      avgItlMs: this.itlCount > 0 ? this.totalItlMs / this.itlCount : 0,
      avgKvHitRate: this.hitRateCount > 0 ? this.hitRateSum / this.hitRateCount : 0,
      hitRateCount: this.hitRateCount,
      hitRateSum: this.hitRateSum,
      arrivedNumReq: this.arrived,
      arrivedAvgIsl: this.arrived > 0 ? this.arrivedIsl / this.arrived : 0,
      arrivedAvgOsl: this.arrived > 0 ? this.arrivedOsl / this.arrived : 0,
      engineReusedTokens: this.engineReused,
      engineQueriedTokens: this.engineQueried,
      ttftBucketCounts: Array.from(this.ttftBuckets),
      itlBucketCounts: Array.from(this.itlBuckets),
      ...this.tierStats(),
    };
    this.windowStartMs = nowMs;
    this.numReq = 0;
    this.totalIsl = 0;
    this.totalOsl = 0;
    this.totalTtftMs = 0;
    this.ttftCount = 0;
    this.totalItlMs = 0;
    this.itlCount = 0;
    this.hitRateSum = 0;
    this.hitRateCount = 0;
    this.arrived = 0;
    this.arrivedIsl = 0;
    this.arrivedOsl = 0;
    this.engineReused = 0;
    this.engineQueried = 0;
    this.ttftBuckets.fill(0);
    this.itlBuckets.fill(0);
    this.tiers.fill(0);
    return stats;
  }

  private hasTierFigures(): boolean {
    return this.tiers.some((x) => x !== 0);
  }

  private tierStats(): { kvTiers?: TrafficTierStats } {
    if (!this.hasTierFigures()) return {};
    const t = this.tiers;
    const admits = t[5] as number;
    return {
      kvTiers: {
        routerHostHitRate: this.hitRateCount > 0 ? (t[0] as number) / this.hitRateCount : 0,
        routerDiskHitRate: this.hitRateCount > 0 ? (t[1] as number) / this.hitRateCount : 0,
        engineHostTokens: t[2] as number,
        engineDiskTokens: t[3] as number,
        onboardMsPerAdmit: admits > 0 ? (t[4] as number) / admits : 0,
        admits,
      },
    };
  }

  toFloat64Array(): Float64Array {
    const tiered = this.hasTierFigures();
    const out = new Float64Array(TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH + (tiered ? TRAFFIC_TIER_FIELDS : 0));
    if (tiered) out.set(this.tiers, TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH);
    out.set(this.ttftBuckets, FIXED_FIELDS);
    out.set(this.itlBuckets, FIXED_FIELDS + TTFT_BUCKET_COUNT);
    out.set([
      this.windowStartMs,
      this.numReq,
      this.totalIsl,
      this.totalOsl,
      this.totalTtftMs,
      this.ttftCount,
      this.totalItlMs,
      this.itlCount,
      this.hitRateSum,
      this.hitRateCount,
      this.arrived,
      this.arrivedIsl,
      this.arrivedOsl,
      this.engineReused,
      this.engineQueried,
    ]);
    return out;
  }

  static fromFloat64Array(a: Float64Array): TrafficAccumulator {
    if (!isTrafficLayoutLength(a.length)) {
      throw new RangeError(
        `traffic accumulator export has ${a.length} fields, expected ${TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH} ` +
          `(or ${TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH + TRAFFIC_TIER_FIELDS} with KV tiers)`,
      );
    }
    const acc = new TrafficAccumulator(a[0]!);
    acc.numReq = a[1]!;
    acc.totalIsl = a[2]!;
    acc.totalOsl = a[3]!;
    acc.totalTtftMs = a[4]!;
    acc.ttftCount = a[5]!;
    acc.totalItlMs = a[6]!;
    acc.itlCount = a[7]!;
    acc.hitRateSum = a[8]!;
    acc.hitRateCount = a[9]!;
    acc.arrived = a[10]!;
    acc.arrivedIsl = a[11]!;
    acc.arrivedOsl = a[12]!;
    acc.engineReused = a[13]!;
    acc.engineQueried = a[14]!;
    acc.ttftBuckets.set(a.subarray(FIXED_FIELDS, FIXED_FIELDS + TTFT_BUCKET_COUNT));
    acc.itlBuckets.set(a.subarray(FIXED_FIELDS + TTFT_BUCKET_COUNT, TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH));
    if (a.length > TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH)
      acc.tiers.set(a.subarray(TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH));
    return acc;
  }

  /**
   * Adds another accumulator's counts (shards of one replay window). Sums and counts add, so every average,
   * the hit rate included, is the one over the union of requests; the window starts at the earlier start.
   * Merge in shard order for bit-identical sums.
   */
  mergeFrom(other: TrafficAccumulator): void {
    this.windowStartMs = Math.min(this.windowStartMs, other.windowStartMs);
    this.numReq += other.numReq;
    this.totalIsl += other.totalIsl;
    this.totalOsl += other.totalOsl;
    this.totalTtftMs += other.totalTtftMs;
    this.ttftCount += other.ttftCount;
    this.totalItlMs += other.totalItlMs;
    this.itlCount += other.itlCount;
    this.hitRateSum += other.hitRateSum;
    this.hitRateCount += other.hitRateCount;
    this.arrived += other.arrived;
    this.arrivedIsl += other.arrivedIsl;
    this.arrivedOsl += other.arrivedOsl;
    this.engineReused += other.engineReused;
    this.engineQueried += other.engineQueried;
    for (let b = 0; b < TTFT_BUCKET_COUNT; b++) {
      this.ttftBuckets[b] = (this.ttftBuckets[b] as number) + (other.ttftBuckets[b] as number);
    }
    for (let b = 0; b < ITL_BUCKET_COUNT; b++) {
      this.itlBuckets[b] = (this.itlBuckets[b] as number) + (other.itlBuckets[b] as number);
    }
    for (let f = 0; f < TRAFFIC_TIER_FIELDS; f++)
      this.tiers[f] = (this.tiers[f] as number) + (other.tiers[f] as number);
  }
}
