// `holt` predictor: the kvsim replacement for upstream's `prophet` choice (Prophet has no TypeScript port).
// Mirrors Prophet's wrapper (docs/planner.md#predictors): a sliding window of the last `windowSize`
// (`prophet_window_size`) accepted points in model space (log1p(max(0, v)) in log mode); fewer than 5 points →
// the last value (expm1 of the last model value in log mode); otherwise a fresh Holt fit on the window each call
// and a one-step forecast, clamped at 0 (expm1 first in log mode). Points are equally spaced by construction, so
// Prophet's timestamps carry no information here. Any failure → the last value.
import { BasePredictor, type PredictorOptions, resolvePredictorOptions } from "./base.js";
import { fitHolt, type HoltFit } from "./holt-smoothing.js";

export const HOLT_MIN_POINTS = 5;

export class HoltPredictor extends BasePredictor {
  private readonly log1pMode: boolean;
  private readonly windowSize: number;
  private readonly window: number[] = [];
  private lastFit: HoltFit | null = null;
  private cachedForecast: number | null = null;

  /** Fields left out take DEFAULT_PREDICTOR_OPTIONS (window 50 points); a bad one throws. */
  constructor(partial: Partial<PredictorOptions> = {}) {
    super();
    const options = resolvePredictorOptions(partial, "HoltPredictor");
    this.log1pMode = options.log1p;
    this.windowSize = options.windowSize;
  }

  /** The latest fit (smoothing weights and state), null before one. */
  get fit(): HoltFit | null {
    return this.lastFit;
  }

  protected accept(value: number): void {
    this.window.push(this.log1pMode ? Math.log1p(Math.max(0, value)) : value);
    if (this.window.length > this.windowSize) this.window.shift();
    this.cachedForecast = null;
  }

  predictNext(): number {
    if (this.window.length < HOLT_MIN_POINTS) {
      const last = this.window.at(-1);
      if (last === undefined) return this.getLastValue();
      return this.log1pMode ? Math.expm1(last) : last;
    }
    if (this.cachedForecast !== null) return this.cachedForecast;
    try {
      this.lastFit = fitHolt(this.window);
      const f = this.lastFit.forecast;
      const forecast = this.log1pMode ? Math.max(0, Math.expm1(f)) : Math.max(0, f);
      if (!Number.isFinite(forecast)) return this.getLastValue();
      this.cachedForecast = forecast;
      return forecast;
    } catch {
      return this.getLastValue();
    }
  }
}
