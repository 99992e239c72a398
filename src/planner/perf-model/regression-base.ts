// `_BaseRegressionModel` (docs/planner.md#regression-models): a bucketed sample store of
// (features, wall_time) pairs and a degree-1 least-squares fit with intercept and sign constraints.
//
// Sample store: `buckets` maps a bucket key (row-major over `bucketsPerAxis` cells per axis) to that bucket's
// samples, oldest first. Map iteration order is first-insertion order, as a Python dict's is, which decides
// ties when retiring. Invariants: `total` = Σ bucket lengths ≤ maxNumFpmSamples after every add; no bucket
// is empty; per-axis bounds only ever widen (retired samples do not shrink them).
import { checkIntegerAtLeast, withDefaults } from "../../util/options.js";
import type { ForwardPassMetrics } from "../types.js";
import { fitMinNormLeastSquares, type LinearFit } from "./least-squares.js";

export interface RegressionModelOptions {
  /** Sample cap; also the moving-average window. */
  readonly maxNumFpmSamples: number;
  /** Cold-start threshold: fewer stored samples → no fit. */
  readonly minObservations: number;
  /** Buckets in total: B for a 1-D model, B = isqrt(bucketCount) per axis for a 2-D one. */
  readonly bucketCount: number;
}

/**
 * The defaults of `max_num_fpm_samples`, `load_min_observations` and `fpm_sample_bucket_size`: the planner config
 * parser takes its defaults for those keys from here, so a model built from code and one built from an empty
 * config agree.
 */
export const DEFAULT_REGRESSION_MODEL_OPTIONS: RegressionModelOptions = Object.freeze({
  maxNumFpmSamples: 64,
  minObservations: 5,
  bucketCount: 16,
});

/** Values of a relaxable coefficient below this are zeroed; values in [−1e-6, 0) are kept. */
const RELAXED_COEFFICIENT_FLOOR = -1e-6;
/** Every predicted pass costs at least this many seconds (`f(x) = max(1e-6, …)`). */
export const MIN_PREDICTED_WALL_TIME_S = 1e-6;
/** Chunk count above which the TTFT simulation uses its closed form instead of a loop. */
const MAX_SIMULATED_CHUNKS = 1_000_000;

interface Sample {
  readonly x: readonly number[];
  readonly wallTimeS: number;
  /** Global insertion order; re-bucketing replays samples oldest first. */
  readonly seq: number;
}

type FitOutcome = { readonly kind: "fitted"; readonly fit: LinearFit } | { readonly kind: "none" };

export abstract class BaseRegressionModel {
  protected readonly maxNumFpmSamples: number;
  protected readonly minObservations: number;
  private readonly ndim: number;
  private readonly bucketsPerAxis: number;
  /** Feature indices whose coefficient may go slightly negative (decode's request count). */
  private readonly relaxable: readonly boolean[];
  private readonly minBound: number[];
  private readonly maxBound: number[];
  private buckets = new Map<number, Sample[]>();
  private total = 0;
  private nextSeq = 0;
  /** Cached fit; null = stale (recomputed on demand). */
  private outcome: FitOutcome | null = null;
  private rejected = false;

  protected constructor(options: RegressionModelOptions, ndim: 1 | 2, relaxableIndices: readonly number[]) {
    const { maxNumFpmSamples, minObservations, bucketCount } = options;
    this.maxNumFpmSamples = maxNumFpmSamples;
    this.minObservations = minObservations;
    this.ndim = ndim;
    this.bucketsPerAxis = ndim === 1 ? bucketCount : Math.max(1, Math.floor(Math.sqrt(bucketCount)));
    this.relaxable = Array.from({ length: ndim }, (_, i) => relaxableIndices.includes(i));
    this.minBound = new Array<number>(ndim).fill(Number.POSITIVE_INFINITY);
    this.maxBound = new Array<number>(ndim).fill(Number.NEGATIVE_INFINITY);
  }

  /** Subclass moving averages, updated for every FPM including idle heartbeats. */
  protected abstract updateAverages(fpm: ForwardPassMetrics): void;
  /** Regression features of one pass. */
  protected abstract features(fpm: ForwardPassMetrics): number[];

  addObservation(fpm: ForwardPassMetrics): void {
    this.updateAverages(fpm);
    if (fpm.wallTime === 0) return; // idle heartbeat: not a timing sample
    const x = this.features(fpm);
    let boundsChanged = false;
    for (let j = 0; j < this.ndim; j++) {
      const v = x[j]!;
      if (v < this.minBound[j]!) {
        this.minBound[j] = v;
        boundsChanged = true;
      }
      if (v > this.maxBound[j]!) {
        this.maxBound[j] = v;
        boundsChanged = true;
      }
    }
    if (boundsChanged && this.total > 0) this.rebucket();
    this.insert({ x, wallTimeS: fpm.wallTime, seq: this.nextSeq++ });
    this.total++;
    if (this.total > this.maxNumFpmSamples) this.retireOne();
    this.outcome = null;
  }

  loadBenchmarkFpms(fpms: readonly ForwardPassMetrics[]): void {
    for (const fpm of fpms) this.addObservation(fpm);
  }

  /** Enough samples stored to attempt a fit (the fit itself may still be rejected). */
  hasSufficientData(): boolean {
    return this.total >= this.minObservations;
  }

  /** A fit exists and passed the sign constraints. */
  isFitted(): boolean {
    return this.currentFit() !== null;
  }

  /** True when the latest fit attempt was rejected for a negative non-relaxable coefficient. */
  fitRejected(): boolean {
    this.currentFit();
    return this.rejected;
  }

  /** The accepted fit (after relaxation), or null when there is none. */
  coefficients(): { intercept: number; coef: readonly number[] } | null {
    const fit = this.currentFit();
    return fit === null ? null : { intercept: fit.intercept, coef: [...fit.coef] };
  }

  get sampleCount(): number {
    return this.total;
  }

  /** Stored samples, bucket by bucket in bucket insertion order, oldest first within a bucket. */
  storedSamples(): { x: readonly number[]; wallTimeS: number }[] {
    const out: { x: readonly number[]; wallTimeS: number }[] = [];
    for (const bucket of this.buckets.values())
      for (const s of bucket) out.push({ x: s.x, wallTimeS: s.wallTimeS });
    return out;
  }

  /** `f(x) = max(1e-6, intercept + coef·x)` seconds; callers check `isFitted()` first. */
  protected predictWallTime(x0: number, x1 = 0): number {
    const fit = this.currentFit();
    if (fit === null) throw new Error("predictWallTime called without a fit");
    let dot = fit.coef[0]! * x0;
    if (this.ndim === 2) dot += fit.coef[1]! * x1;
    return Math.max(MIN_PREDICTED_WALL_TIME_S, dot + fit.intercept);
  }

  /**
   * Chunked prefill simulation (docs/planner.md#regression-models): `tokens` split into ceil(tokens/mbt)
   * chunks of min(remaining, mbt), each costing f(chunk, otherFeature). Returns seconds; 0 when tokens ≤ 0.
   * Past a million chunks the sum switches to the equivalent closed form (n−1)·f(mbt) + f(remainder) so
   * absurd backlogs stay O(1).
   */
  protected chunkedPrefillSeconds(tokens: number, maxNumBatchedTokens: number, otherFeature: number): number {
    if (!(tokens > 0)) return 0;
    const chunks = Math.ceil(tokens / maxNumBatchedTokens);
    if (chunks > MAX_SIMULATED_CHUNKS) {
      const lastChunk = tokens - (chunks - 1) * maxNumBatchedTokens;
      return (
        (chunks - 1) * this.predictWallTime(maxNumBatchedTokens, otherFeature) +
        this.predictWallTime(lastChunk, otherFeature)
      );
    }
    let remaining = tokens;
    let totalS = 0;
    for (let i = 0; i < chunks; i++) {
      const chunk = Math.min(remaining, maxNumBatchedTokens);
      totalS += this.predictWallTime(chunk, otherFeature);
      remaining -= chunk;
    }
    return totalS;
  }

  protected currentFit(): LinearFit | null {
    if (this.outcome === null) this.outcome = this.fit();
    return this.outcome.kind === "fitted" ? this.outcome.fit : null;
  }

  private fit(): FitOutcome {
    this.rejected = false;
    if (this.total < this.minObservations || this.total === 0) return { kind: "none" };
    const rows: (readonly number[])[] = [];
    const targets: number[] = [];
    for (const bucket of this.buckets.values()) {
      for (const s of bucket) {
        rows.push(s.x);
        targets.push(s.wallTimeS);
      }
    }
    const raw = fitMinNormLeastSquares(rows, targets);
    const coef = [...raw.coef];
    for (let j = 0; j < this.ndim; j++) {
      const c = coef[j]!;
      if (this.relaxable[j]) {
        if (c < RELAXED_COEFFICIENT_FLOOR) coef[j] = 0; // intercept deliberately not refit
      } else if (c < 0) {
        this.rejected = true;
        return { kind: "none" };
      }
    }
    return { kind: "fitted", fit: { intercept: raw.intercept, coef } };
  }

  private bucketKey(x: readonly number[]): number {
    const b = this.bucketsPerAxis;
    let key = 0;
    for (let j = 0; j < this.ndim; j++) {
      const lo = this.minBound[j]!;
      const hi = this.maxBound[j]!;
      let k = 0;
      if (hi > lo) k = Math.min(b - 1, Math.max(0, Math.trunc(((x[j]! - lo) / (hi - lo)) * b)));
      key = key * b + k;
    }
    return key;
  }

  private insert(sample: Sample): void {
    const key = this.bucketKey(sample.x);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, [sample]);
    else bucket.push(sample);
  }

  /** Bounds widened: re-bucket stored samples oldest first, rebuilding bucket order from scratch. */
  private rebucket(): void {
    const all: Sample[] = [];
    for (const bucket of this.buckets.values()) for (const s of bucket) all.push(s);
    all.sort((a, b) => a.seq - b.seq);
    this.buckets = new Map();
    for (const s of all) this.insert(s);
  }

  /** Drop the oldest sample of the fullest bucket (ties → first bucket in insertion order). */
  private retireOne(): void {
    let fullestKey = -1;
    let fullestLength = -1;
    for (const [key, bucket] of this.buckets) {
      if (bucket.length > fullestLength) {
        fullestLength = bucket.length;
        fullestKey = key;
      }
    }
    const bucket = this.buckets.get(fullestKey)!;
    bucket.shift();
    this.total--;
    if (bucket.length === 0) this.buckets.delete(fullestKey);
  }
}

/** Defaults filled in (DEFAULT_REGRESSION_MODEL_OPTIONS) and every field checked; `where` names the model. */
export function resolveRegressionModelOptions(
  input: Partial<RegressionModelOptions> | undefined,
  where: string,
): RegressionModelOptions {
  const o = withDefaults(DEFAULT_REGRESSION_MODEL_OPTIONS, input, where);
  checkIntegerAtLeast(where, "maxNumFpmSamples", o.maxNumFpmSamples, 1);
  checkIntegerAtLeast(where, "minObservations", o.minObservations, 0);
  checkIntegerAtLeast(where, "bucketCount", o.bucketCount, 1);
  return o;
}
