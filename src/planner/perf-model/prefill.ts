// Prefill perf model (docs/planner.md#regression-models): 1-D least squares of pass wall time on the tokens
// freshly computed in the pass (`scheduled.sumPrefillTokens`, already post-prefix-cache). f(x) = max(1e-6,
// a·x + b) seconds.
import { clampKvHitRate } from "../kv-hit-rate.js";
import type { ForwardPassMetrics } from "../types.js";
import { MovingAverage } from "./moving-average.js";
import {
  BaseRegressionModel,
  type RegressionModelOptions,
  resolveRegressionModelOptions,
} from "./regression-base.js";

export class PrefillRegressionModel extends BaseRegressionModel {
  private readonly islAverage: MovingAverage;
  private readonly numPrefillAverage: MovingAverage;

  /** Fields left out take DEFAULT_REGRESSION_MODEL_OPTIONS (64 samples, 5 observations, 16 buckets). */
  constructor(options: Partial<RegressionModelOptions> = {}) {
    super(resolveRegressionModelOptions(options, "PrefillRegressionModel"), 1, []);
    this.islAverage = new MovingAverage(this.maxNumFpmSamples);
    this.numPrefillAverage = new MovingAverage(this.maxNumFpmSamples);
  }

  /** Moving average of per-request scheduled prefill tokens, over passes that scheduled prefill. */
  get avgIsl(): number {
    return this.islAverage.value;
  }

  /** Moving average of prefill requests per pass (diagnostic only). */
  get avgNumPrefill(): number {
    return this.numPrefillAverage.value;
  }

  protected updateAverages(fpm: ForwardPassMetrics): void {
    const s = fpm.scheduled;
    if (s.numPrefillRequests > 0) this.islAverage.add(s.sumPrefillTokens / s.numPrefillRequests);
    this.numPrefillAverage.add(s.numPrefillRequests);
  }

  protected features(fpm: ForwardPassMetrics): number[] {
    return [fpm.scheduled.sumPrefillTokens];
  }

  /** Predicted wall time of one pass computing `prefillTokens` tokens, seconds (null without a fit). */
  predictPassSeconds(prefillTokens: number): number | null {
    return this.isFitted() ? this.predictWallTime(prefillTokens) : null;
  }

  /**
   * TTFT of a request arriving now, seconds: the queued backlog plus one average request, discounted by the
   * hit rate (both terms: queued prompts are raw totals, cache effects unknown), run in mbt-sized chunks.
   * Null without a fit or without a positive batch size.
   */
  estimateNextTtft(
    queuedPrefillTokens: number,
    maxNumBatchedTokens: number,
    kvHitRate?: number | null,
  ): number | null {
    if (!this.isFitted() || !(maxNumBatchedTokens > 0)) return null;
    const tokens = (queuedPrefillTokens + this.avgIsl) * (1 - clampKvHitRate(kvHitRate));
    return this.chunkedPrefillSeconds(tokens, maxNumBatchedTokens, 0);
  }

  /**
   * Requests/s one engine sustains at `isl` tokens per request (pass in the hit-discounted ISL): one request's
   * prefill time wt = (k−1)·f(mbt) + f(r) for isl > mbt (k = ceil(isl/mbt), r = isl − (k−1)·mbt), else f(isl);
   * rps = 1/wt. Batching does not help a linear model, so the rate is returned even when ttftMs > ttftSlaMs
   * (the caller may compare). (0, 0) without a fit or for isl ≤ 0.
   */
  findBestEnginePrefillRps(
    _ttftSlaMs: number,
    isl: number,
    maxNumBatchedTokens: number,
  ): { engineRps: number; ttftMs: number } {
    if (!this.isFitted() || !(isl > 0)) return { engineRps: 0, ttftMs: 0 };
    let wallTimeS: number;
    if (maxNumBatchedTokens > 0 && isl > maxNumBatchedTokens) {
      const k = Math.ceil(isl / maxNumBatchedTokens);
      const lastChunk = isl - (k - 1) * maxNumBatchedTokens;
      wallTimeS = (k - 1) * this.predictWallTime(maxNumBatchedTokens) + this.predictWallTime(lastChunk);
    } else {
      wallTimeS = this.predictWallTime(isl);
    }
    return { engineRps: 1 / wallTimeS, ttftMs: 1000 * wallTimeS };
  }
}
