// kvsim's SLA error budget (as SRE practice frames an SLO): of the first tokens so far, a share
// sla_attainment_target must meet the TTFT SLA. The frontend's TTFT histogram tells how many did; the requests
// that may still miss while keeping the target (with a safety margin) are the slack. A backlog whose expected
// misses fit well within the slack is absorbed instead of bought off with replicas it would need for seconds.

import { countWithin, TTFT_BUCKET_BOUNDS_MS } from "../../signals/latency-buckets.js";

/** Share of the allowed misses the policy plans to use (the rest is margin for what it cannot foresee). */
const USABLE_MISS_SHARE = 0.8;
/** Misses below which a deficit is not yet pressure (a handful of early misses is noise). */
const MIN_ALLOWED_MISSES = 10;
/** Share of the slack one backlog may spend. */
const SLACK_PER_BACKLOG = 0.5;

export class SlaErrorBudget {
  private readonly target: number;
  private readonly slaMs: number;
  private readonly bounds: readonly number[];
  private met = 0;
  private total = 0;

  /** `bounds`: the histogram's bucket bounds, ms (TTFT by default; per-request mean ITL for the ITL budget). */
  constructor(attainmentTarget: number, slaMs: number, bounds: readonly number[] = TTFT_BUCKET_BOUNDS_MS) {
    this.target = 1 - (1 - attainmentTarget) * USABLE_MISS_SHARE;
    this.slaMs = slaMs;
    this.bounds = bounds;
  }

  /** One window's requests per bucket. */
  observe(bucketCounts: readonly number[]): void {
    let n = 0;
    for (const c of bucketCounts) n += c;
    this.total += n;
    this.met += countWithin(this.bounds, bucketCounts, this.slaMs);
  }

  /** Misses still affordable now: met − target·total (negative when the target is already missed). */
  get slackRequests(): number {
    return this.met - this.target * this.total;
  }

  /**
   * How far the target is already missed, 0 (on target) to 1 (a deficit as large as the misses allowed so far,
   * or more): the policy plans more conservatively as it grows.
   */
  get pressure(): number {
    const slack = this.slackRequests;
    if (slack >= 0) return 0;
    return Math.min(1, -slack / Math.max(MIN_ALLOWED_MISSES, (1 - this.target) * this.total));
  }

  /**
   * How much slack there is, 0 (none) to 1 (twice the misses allowed so far, or more): the policy plans leaner
   * as it grows, so the run's attainment settles near its target instead of far above it.
   */
  get ease(): number {
    const slack = this.slackRequests;
    if (slack <= 0) return 0;
    return Math.min(1, slack / (2 * Math.max(MIN_ALLOWED_MISSES, (1 - this.target) * this.total)));
  }

  /** Share of first tokens so far within the SLA (1 before any). */
  get attainment(): number {
    return this.total > 0 ? this.met / this.total : 1;
  }

  /** True when `expectedMisses` fit in the share of the slack one backlog may spend. */
  canAbsorb(expectedMisses: number): boolean {
    return expectedMisses <= SLACK_PER_BACKLOG * this.slackRequests;
  }
}

/**
 * Requests expected to miss the TTFT budget if the pool stays as it is: of those waiting, the share behind more
 * than `waitBudgetS` of work, plus the arrivals until the backlog drains below that (capacity above demand), or
 * every arrival (+Infinity) when the pool cannot keep up.
 */
export function expectedBacklogMisses(input: {
  readonly capacityTokensPerS: number;
  readonly demandTokensPerS: number;
  readonly arrivalRatePerS: number;
  readonly backlogTokens: number;
  readonly backlogRequests: number;
  readonly waitBudgetS: number;
}): number {
  const capacity = input.capacityTokensPerS;
  if (!(capacity > input.demandTokensPerS)) return Number.POSITIVE_INFINITY;
  const okTokens = Math.max(0, input.waitBudgetS) * capacity;
  if (input.backlogTokens <= okTokens) return 0;
  const waitingMisses = input.backlogRequests * (1 - okTokens / input.backlogTokens);
  const drainS = (input.backlogTokens - okTokens) / (capacity - input.demandTokensPerS);
  return waitingMisses + input.arrivalRatePerS * drainS;
}
