// Decode perf model (docs/planner.md#regression-models): 2-D least squares of pass wall time on
// [num_decode_requests, sum_decode_kv_tokens]. f(n, kv) = max(1e-6, a·n + c·kv + b) seconds. The request-count
// coefficient is relaxable (attention cost lives in kv; a slightly negative per-request term is noise).
// No KV-hit discount anywhere here: cached prefix blocks still occupy decode KV.
import type { ForwardPassMetrics } from "../types.js";
import { MovingAverage } from "./moving-average.js";
import {
  BaseRegressionModel,
  type RegressionModelOptions,
  resolveRegressionModelOptions,
} from "./regression-base.js";

/** Batch cap when neither the engine's KV capacity nor any observed KV is known. */
const DEFAULT_DECODE_BATCH_CAP = 256;

export class DecodeRegressionModel extends BaseRegressionModel {
  private readonly decodeLenAverage: MovingAverage;
  private readonly numDecodeAverage: MovingAverage;
  private maxObservedKv = 0;

  /** Fields left out take DEFAULT_REGRESSION_MODEL_OPTIONS (64 samples, 5 observations, 16 buckets). */
  constructor(options: Partial<RegressionModelOptions> = {}) {
    super(resolveRegressionModelOptions(options, "DecodeRegressionModel"), 2, [0]);
    this.decodeLenAverage = new MovingAverage(this.maxNumFpmSamples);
    this.numDecodeAverage = new MovingAverage(this.maxNumFpmSamples);
  }

  /** Moving average of KV tokens per decoding request. */
  get avgDecodeLen(): number {
    return this.decodeLenAverage.value;
  }

  /** Moving average of decoding requests per pass. */
  get avgNumDecode(): number {
    return this.numDecodeAverage.value;
  }

  /** Largest `scheduled.sumDecodeKvTokens` seen, tokens. */
  get maxObservedKvTokens(): number {
    return this.maxObservedKv;
  }

  protected updateAverages(fpm: ForwardPassMetrics): void {
    const s = fpm.scheduled;
    if (s.numDecodeRequests > 0) this.decodeLenAverage.add(s.sumDecodeKvTokens / s.numDecodeRequests);
    this.numDecodeAverage.add(s.numDecodeRequests);
    if (s.sumDecodeKvTokens > this.maxObservedKv) this.maxObservedKv = s.sumDecodeKvTokens;
  }

  protected features(fpm: ForwardPassMetrics): number[] {
    return [fpm.scheduled.numDecodeRequests, fpm.scheduled.sumDecodeKvTokens];
  }

  /** Predicted wall time of one decode pass, seconds (null without a fit). */
  predictPassSeconds(numDecodeRequests: number, sumDecodeKvTokens: number): number | null {
    return this.isFitted() ? this.predictWallTime(numDecodeRequests, sumDecodeKvTokens) : null;
  }

  /** ITL of the next pass if one average request joined: f(avgNumDecode + 1, sched + queued + avgDecodeLen). */
  estimateNextItl(scheduledDecodeKv: number, queuedDecodeKv: number): number | null {
    if (!this.isFitted()) return null;
    return this.predictWallTime(
      this.avgNumDecode + 1,
      scheduledDecodeKv + queuedDecodeKv + this.avgDecodeLen,
    );
  }

  /**
   * Requests/s one engine sustains under the ITL SLA: the largest batch bs ∈ [1, maxBatch] with
   * f(bs, bs·ctx)·1000 ≤ itl (binary search, f assumed monotone), then Little's law rps = bs/(osl·wt).
   * If even bs = 1 misses the SLA, returns the bs = 1 rate. (0, 0) without a fit or for non-positive inputs.
   */
  findBestEngineDecodeRps(
    itlSlaMs: number,
    contextLength: number,
    osl: number,
    maxKvTokens: number | null,
    maxNumSeqs: number | null,
  ): { engineRps: number; itlMs: number } {
    if (!this.isFitted() || !(contextLength > 0) || !(osl > 0) || !(itlSlaMs > 0))
      return { engineRps: 0, itlMs: 0 };
    let kvCap: number;
    if (maxKvTokens !== null && maxKvTokens > 0) kvCap = Math.max(1, Math.trunc(maxKvTokens / contextLength));
    else if (this.maxObservedKv > 0) kvCap = Math.max(1, Math.trunc(this.maxObservedKv / contextLength));
    else kvCap = DEFAULT_DECODE_BATCH_CAP;
    const seqCap = maxNumSeqs !== null && maxNumSeqs > 0 ? maxNumSeqs : kvCap;
    const maxBatch = Math.max(1, Math.min(kvCap, seqCap));

    const wallTime1S = this.predictWallTime(1, contextLength);
    if (wallTime1S * 1000 > itlSlaMs) return { engineRps: 1 / (osl * wallTime1S), itlMs: wallTime1S * 1000 };

    let lo = 1; // known to meet the SLA
    let hi = maxBatch;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (this.predictWallTime(mid, mid * contextLength) * 1000 <= itlSlaMs) lo = mid;
      else hi = mid - 1;
    }
    const wallTimeS = this.predictWallTime(lo, lo * contextLength);
    return { engineRps: lo / (osl * wallTimeS), itlMs: 1000 * wallTimeS };
  }
}
