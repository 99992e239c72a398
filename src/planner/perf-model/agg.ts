// Aggregated perf model (docs/planner.md#regression-models): 2-D least squares of pass wall time on
// [sum_prefill_tokens, sum_decode_kv_tokens]; both coefficients must stay non-negative. One engine does
// prefill and decode in the same passes, so each prefill chunk also pays for the resident decode KV.
import { clampKvHitRate } from "../kv-hit-rate.js";
import type { ForwardPassMetrics } from "../types.js";
import { MovingAverage } from "./moving-average.js";
import {
  BaseRegressionModel,
  type RegressionModelOptions,
  resolveRegressionModelOptions,
} from "./regression-base.js";

/** Batch cap when the engine's KV capacity is unknown. */
const DEFAULT_AGG_BATCH_CAP = 1024;

export class AggRegressionModel extends BaseRegressionModel {
  private readonly islAverage: MovingAverage;
  private readonly decodeLenAverage: MovingAverage;
  private readonly prefillTokensAverage: MovingAverage;
  private readonly numPrefillAverage: MovingAverage;
  private readonly numDecodeAverage: MovingAverage;

  /** Fields left out take DEFAULT_REGRESSION_MODEL_OPTIONS (64 samples, 5 observations, 16 buckets). */
  constructor(options: Partial<RegressionModelOptions> = {}) {
    super(resolveRegressionModelOptions(options, "AggRegressionModel"), 2, []);
    const w = this.maxNumFpmSamples;
    this.islAverage = new MovingAverage(w);
    this.decodeLenAverage = new MovingAverage(w);
    this.prefillTokensAverage = new MovingAverage(w);
    this.numPrefillAverage = new MovingAverage(w);
    this.numDecodeAverage = new MovingAverage(w);
  }

  /** Moving average of per-request scheduled prefill tokens. */
  get avgIsl(): number {
    return this.islAverage.value;
  }
  /** Moving average of KV tokens per decoding request. */
  get avgDecodeLen(): number {
    return this.decodeLenAverage.value;
  }
  /** Moving average of raw prefill tokens per pass (zeros kept after the first non-zero). */
  get avgPrefillTokens(): number {
    return this.prefillTokensAverage.value;
  }
  get avgNumPrefill(): number {
    return this.numPrefillAverage.value;
  }
  get avgNumDecode(): number {
    return this.numDecodeAverage.value;
  }

  protected updateAverages(fpm: ForwardPassMetrics): void {
    const s = fpm.scheduled;
    if (s.numPrefillRequests > 0) this.islAverage.add(s.sumPrefillTokens / s.numPrefillRequests);
    if (s.numDecodeRequests > 0) this.decodeLenAverage.add(s.sumDecodeKvTokens / s.numDecodeRequests);
    this.prefillTokensAverage.add(s.sumPrefillTokens);
    this.numPrefillAverage.add(s.numPrefillRequests);
    this.numDecodeAverage.add(s.numDecodeRequests);
  }

  protected features(fpm: ForwardPassMetrics): number[] {
    return [fpm.scheduled.sumPrefillTokens, fpm.scheduled.sumDecodeKvTokens];
  }

  /** Predicted wall time of one mixed pass, seconds (null without a fit). */
  predictPassSeconds(sumPrefillTokens: number, sumDecodeKvTokens: number): number | null {
    return this.isFitted() ? this.predictWallTime(sumPrefillTokens, sumDecodeKvTokens) : null;
  }

  /** As the prefill model's estimate, each chunk costing f(chunk, currentDecodeKv). Seconds. */
  estimateNextTtft(
    queuedPrefillTokens: number,
    maxNumBatchedTokens: number,
    currentDecodeKv: number,
    kvHitRate?: number | null,
  ): number | null {
    if (!this.isFitted() || !(maxNumBatchedTokens > 0)) return null;
    const tokens = (queuedPrefillTokens + this.avgIsl) * (1 - clampKvHitRate(kvHitRate));
    return this.chunkedPrefillSeconds(tokens, maxNumBatchedTokens, currentDecodeKv);
  }

  /** f(avgPrefillTokens, sched + queued + avgDecodeLen) seconds: the next pass carries the usual prefill load. */
  estimateNextItl(scheduledDecodeKv: number, queuedDecodeKv: number): number | null {
    if (!this.isFitted()) return null;
    return this.predictWallTime(
      this.avgPrefillTokens,
      scheduledDecodeKv + queuedDecodeKv + this.avgDecodeLen,
    );
  }

  /**
   * Sweep batch sizes 1..maxBs under both SLAs (docs/planner.md#throughput-scaling). maxBs is the KV/sequence
   * cap, further limited so that prefill admission keeps up with decode egress: eff/(mbt − x) ≤ osl with eff
   * = isl·(1 − clamp(hit)). Each bs costs wt = f(min(bs·eff/osl, mbt), bs·ctx) per pass (ctx = isl + osl/2:
   * hits do not shrink decode KV); its TTFT comes from estimateNextTtft on the raw per-iteration prefill plus
   * the hit rate, so the discount hits the queue term and the model's own avgIsl alike. Stops at the first bs
   * missing an SLA (bs = 1 is recorded anyway). Returns the last recorded (rps, ttftMs, itlMs); zeros without
   * a fit or for non-positive inputs.
   */
  findBestEngineAggRps(
    isl: number,
    osl: number,
    maxNumBatchedTokens: number,
    ttftSlaMs: number,
    itlSlaMs: number,
    maxKvTokens?: number | null,
    maxNumSeqs?: number | null,
    kvHitRate?: number | null,
  ): { engineRps: number; ttftMs: number; itlMs: number } {
    const mbt = maxNumBatchedTokens;
    if (!this.isFitted() || !(isl > 0) || !(osl > 0) || !(mbt > 0))
      return { engineRps: 0, ttftMs: 0, itlMs: 0 };
    const effectiveIsl = isl * (1 - clampKvHitRate(kvHitRate));
    const contextLength = isl + osl / 2;
    const kvCap =
      maxKvTokens !== null && maxKvTokens !== undefined && maxKvTokens > 0
        ? Math.max(1, Math.trunc(maxKvTokens / Math.max(1, contextLength)))
        : DEFAULT_AGG_BATCH_CAP;
    const seqCap = maxNumSeqs !== null && maxNumSeqs !== undefined && maxNumSeqs > 0 ? maxNumSeqs : kvCap;
    const hardCap = Math.min(kvCap, seqCap, mbt - 1);
    const maxBs = balancedBatchCap(effectiveIsl, osl, mbt, Math.max(1, hardCap));

    const oslDivisor = Math.max(1, osl);
    let result = { engineRps: 0, ttftMs: 0, itlMs: 0 };
    for (let bs = 1; bs <= maxBs; bs++) {
      const decodeKv = bs * contextLength;
      const prefillPerIteration = Math.min((bs * effectiveIsl) / oslDivisor, mbt);
      const wallTimeS = this.predictWallTime(prefillPerIteration, decodeKv);
      const itlMs = 1000 * wallTimeS;
      const rawPrefillPerIteration = Math.min((bs * isl) / oslDivisor, mbt);
      const ttftS = this.estimateNextTtft(
        Math.trunc(rawPrefillPerIteration),
        mbt,
        Math.trunc(decodeKv),
        kvHitRate,
      );
      const ttftMs = ttftS === null ? 0 : 1000 * ttftS;
      if (itlMs > itlSlaMs || ttftMs > ttftSlaMs) {
        if (bs === 1) result = { engineRps: 1 / (osl * wallTimeS), ttftMs, itlMs };
        break;
      }
      result = { engineRps: bs / (osl * wallTimeS), ttftMs, itlMs };
    }
    return result;
  }
}

/**
 * Largest x ∈ [1, upper] with mbt − x > 0 and eff/(mbt − x) ≤ osl (the prefill share of a pass admits requests
 * at least as fast as decode finishes them); 1 when even x = 1 fails. Upper-mid binary search: the predicate
 * only gets harder as x grows.
 */
export function balancedBatchCap(effectiveIsl: number, osl: number, mbt: number, upper: number): number {
  let lo = 1;
  let hi = upper;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    const room = mbt - mid;
    if (room > 0 && effectiveIsl / room <= osl) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
