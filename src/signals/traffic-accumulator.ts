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

import {
  bucketOf,
  ITL_BUCKET_BOUNDS_MS,
  ITL_BUCKET_COUNT,
  TTFT_BUCKET_COUNT,
  ttftBucketOf,
} from "./latency-buckets.js";

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
}

const FIXED_FIELDS = 15;
export const TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH = FIXED_FIELDS + TTFT_BUCKET_COUNT + ITL_BUCKET_COUNT;

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

  /** Router admission: `overlapBlocks` of the request's `islBlocks` prompt blocks were already cached. */
  onAdmission(overlapBlocks: number, islBlocks: number): void {
    if (islBlocks === 0) return;
    this.hitRateSum += overlapBlocks / islBlocks;
    this.hitRateCount += 1;
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
    return stats;
  }

  toFloat64Array(): Float64Array {
    const out = new Float64Array(TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH);
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
    if (a.length !== TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH) {
      throw new RangeError(
        `traffic accumulator export has ${a.length} fields, expected ${TRAFFIC_ACCUMULATOR_LAYOUT_LENGTH}`,
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
    acc.itlBuckets.set(a.subarray(FIXED_FIELDS + TTFT_BUCKET_COUNT));
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
  }
}
