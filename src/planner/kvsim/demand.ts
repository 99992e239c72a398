// kvsim's view of demand, fed once per load tick with the traffic window: requests counted at arrival (a
// frontend's request counter) so an overloaded pool cannot hide the demand it fails to serve; forecasts of the
// arrival rate, prompt and output lengths from the configured load predictor; the burstiness of arrivals; and
// the prefix reuse — what the engines realised (vLLM's prefix-cache counters) beside what the router predicted.

import type { LoadPredictorName } from "../config.js";
import { clampKvHitRate } from "../kv-hit-rate.js";
import type { LoadPredictor, PredictorOptions } from "../predictors/base.js";
import type { TrafficObservation } from "../types.js";

/** Windows kept for burstiness and reuse (12 load ticks: a minute at the default 5 s). */
const HISTORY = 12;
/** Windows in each half of the rise estimate (3 load ticks: 15 s at the default cadence, quick to see a ramp). */
const RISE_WINDOWS = 3;
/** Bounds of the arrivals' squared coefficient of variation (1 = Poisson). */
const MIN_ARRIVAL_SCV = 1;
const MAX_ARRIVAL_SCV = 9;

export interface DemandForecast {
  /** Arrivals per second to size for: the larger of the forecast and the recent pooled rate. */
  readonly arrivalRatePerS: number;
  /** The predictor's own forecast (of the pooled rate) and the last window's rate, per second. */
  readonly predictedRatePerS: number;
  readonly observedRatePerS: number;
  readonly isl: number;
  readonly osl: number;
  /** Arrivals per second the comfortable size is sized for: the rise extended further (see forecast()). */
  readonly comfortRatePerS: number;
  /** The arrival rate rose over the last windows (the rise term is positive). */
  readonly rising: boolean;
  /** The arrival rate fell over the last windows, beyond Poisson noise. */
  readonly falling: boolean;
  /** Windows of history behind the forecast (at most 12). */
  readonly windows: number;
  /** Squared coefficient of variation of arrivals, from the spread of per-window counts. */
  readonly arrivalScv: number;
  /** Token-weighted share of prompt tokens the engines found cached (recent windows); null before any lookup. */
  readonly engineKvHitRate: number | null;
  /** The router's predicted overlap share (last window with admissions); null before any. */
  readonly routerKvHitRate: number | null;
  /** The hit rate prefill sizing discounts by (0 with awareness off; clamped to ≤ 0.95). */
  readonly appliedKvHitRate: number;
}

type PredictorMaker = (name: LoadPredictorName, options: PredictorOptions) => LoadPredictor;

export class DemandEstimator {
  private readonly rate: LoadPredictor;
  private readonly isl: LoadPredictor;
  private readonly osl: LoadPredictor;
  private readonly awareness: boolean;
  /** Per window of the last HISTORY: arrivals, their prompt and output tokens, duration, engine reuse. */
  private readonly counts: number[] = [];
  private readonly islTokens: number[] = [];
  private readonly oslTokens: number[] = [];
  private readonly durations: number[] = [];
  private readonly reused: number[] = [];
  private readonly queried: number[] = [];
  private lastRatePerS = 0;
  private routerHit: number | null = null;

  constructor(name: LoadPredictorName, options: PredictorOptions, make: PredictorMaker, awareness: boolean) {
    this.rate = make(name, options);
    this.isl = make(name, options);
    this.osl = make(name, options);
    this.awareness = awareness;
  }

  /**
   * Feeds one traffic window (ignored when it carries no arrival counts). The predictors see the recent
   * history's pooled figures (a minute at the default cadence), not one short window, whose prompt mix is noise.
   */
  observe(traffic: TrafficObservation): void {
    const arrivals = traffic.arrivals;
    if (arrivals === null || arrivals === undefined || !(traffic.durationS > 0)) return;
    this.lastRatePerS = arrivals.numReq / traffic.durationS;
    push(this.counts, arrivals.numReq);
    push(this.islTokens, arrivals.numReq * arrivals.isl);
    push(this.oslTokens, arrivals.numReq * arrivals.osl);
    push(this.durations, traffic.durationS);
    push(this.reused, traffic.engineReusedTokens ?? 0);
    push(this.queried, traffic.engineQueriedTokens ?? 0);
    const n = sum(this.counts);
    this.rate.addDataPoint(n / sum(this.durations));
    if (n > 0) {
      this.isl.addDataPoint(sum(this.islTokens) / n);
      this.osl.addDataPoint(sum(this.oslTokens) / n);
    }
    const routerHit = traffic.routerKvHitRate;
    if (routerHit !== null && routerHit !== undefined && !Number.isNaN(routerHit)) this.routerHit = routerHit;
  }

  /**
   * Demand to size for, `horizonS` ahead (the engines' startup time and a tick): the larger of the forecast and
   * the recent pooled rate, plus any rise of the last 15 s over the 15 s before, extended over the horizon — a
   * ramp seen now is sized for where it will be when new workers can serve. The comfortable size looks
   * `comfortHorizonS` ahead when the rise is beyond noise, so one scale-up on a ramp covers a while of it. A fall is not extrapolated (the
   * scale-down brake owns that direction).
   */
  forecast(horizonS = 0, comfortHorizonS = horizonS): DemandForecast {
    const n = sum(this.counts);
    const trend = this.trend();
    const rise = Math.max(0, trend.slopePerS2);
    const base = Math.max(0, this.rate.size > 0 ? this.rate.predictNext() : 0);
    const pooledRate = this.durations.length > 0 ? n / sum(this.durations) : 0;
    const predicted = base;
    const isl = positiveOr(
      this.isl.size > 0 ? this.isl.predictNext() : 0,
      n > 0 ? sum(this.islTokens) / n : 0,
    );
    const osl = positiveOr(
      this.osl.size > 0 ? this.osl.predictNext() : 0,
      n > 0 ? sum(this.oslTokens) / n : 0,
    );
    const queried = sum(this.queried);
    const engineHit = queried > 0 ? sum(this.reused) / queried : null;
    const source = engineHit ?? this.routerHit;
    return {
      arrivalRatePerS: Math.max(
        Math.max(predicted, pooledRate) + rise * horizonS,
        horizonS > 0 ? this.peakRatePerS() : 0,
      ),
      comfortRatePerS: Math.max(
        Math.max(predicted, pooledRate) + rise * (trend.significant ? comfortHorizonS : horizonS),
        horizonS > 0 ? this.peakRatePerS() : 0,
      ),
      predictedRatePerS: predicted,
      observedRatePerS: this.lastRatePerS,
      isl,
      osl,
      arrivalScv: this.arrivalScv(),
      rising: rise > 0,
      falling: trend.slopePerS2 < 0 && trend.significant,
      windows: this.counts.length,
      engineKvHitRate: engineHit,
      routerKvHitRate: this.routerHit,
      appliedKvHitRate: this.awareness ? clampKvHitRate(source) : 0,
    };
  }

  /**
   * The busiest pair of adjacent windows of the history, per second: with a startup time the pool cannot follow
   * a burst after it starts, so it keeps the capacity of the recent bursts (until the scale-down brake lets go).
   */
  private peakRatePerS(): number {
    let peak = 0;
    for (let i = 1; i < this.counts.length; i++) {
      const d = (this.durations[i - 1] as number) + (this.durations[i] as number);
      const rate = ((this.counts[i - 1] as number) + (this.counts[i] as number)) / d;
      if (rate > peak) peak = rate;
    }
    return peak;
  }

  /**
   * The arrival rate's trend over the last 2·RISE_WINDOWS windows: the later half against the earlier, per second
   * per second (signed), and whether the change is beyond Poisson noise (more than two standard deviations of the
   * difference of the two counts).
   */
  private trend(): { slopePerS2: number; significant: boolean } {
    const n = this.counts.length;
    if (n < 4) return { slopePerS2: 0, significant: false };
    const half = Math.min(Math.floor(n / 2), RISE_WINDOWS);
    let early = 0;
    let earlyS = 0;
    let late = 0;
    let lateS = 0;
    for (let i = n - 2 * half; i < n; i++) {
      if (i < n - half) {
        early += this.counts[i] as number;
        earlyS += this.durations[i] as number;
      } else {
        late += this.counts[i] as number;
        lateS += this.durations[i] as number;
      }
    }
    if (!(earlyS > 0) || !(lateS > 0)) return { slopePerS2: 0, significant: false };
    const gapS = (earlyS + lateS) / 2;
    return {
      slopePerS2: (late / lateS - early / earlyS) / gapS,
      significant: Math.abs(late - early) > 2 * Math.sqrt(late + early),
    };
  }

  /**
   * Index of dispersion (variance / mean) of per-window arrival counts around their linear trend, a stand-in for
   * ca²: a ramp is demand to follow (the rise term), not burstiness to queue for.
   */
  private arrivalScv(): number {
    const n = this.counts.length;
    if (n < 3) return MIN_ARRIVAL_SCV;
    const mean = sum(this.counts) / n;
    if (!(mean > 0)) return MIN_ARRIVAL_SCV;
    const midIndex = (n - 1) / 2;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (i - midIndex) * ((this.counts[i] as number) - mean);
      sxx += (i - midIndex) * (i - midIndex);
    }
    const slope = sxy / sxx;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const residual = (this.counts[i] as number) - (mean + slope * (i - midIndex));
      ss += residual * residual;
    }
    const dispersion = ss / (n - 2) / mean;
    return Math.min(MAX_ARRIVAL_SCV, Math.max(MIN_ARRIVAL_SCV, dispersion));
  }
}

function push(history: number[], value: number): void {
  history.push(value);
  if (history.length > HISTORY) history.shift();
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function positiveOr(value: number, fallback: number): number {
  return value > 0 && Number.isFinite(value) ? value : fallback;
}
