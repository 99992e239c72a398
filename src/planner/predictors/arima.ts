// `arima` predictor (docs/planner.md#predictors) around the TypeScript auto-ARIMA (auto-arima.ts), with
// upstream's control flow:
// * values are clamped at 0 when stored; fewer than 5 points → the last value;
// * a series whose values are all identical → that value (a fitted model would forecast its mean or 0);
// * the first fit selects the order in the requested mode; if raw mode selects p = q = 0 (a random walk or
//   white noise around a drift), it refits on log1p values and stays in log mode for good;
// * later predictions refit the selected order on the grown series (warm-started MA terms) — the analogue of
//   pmdarima's `update()`; if that refit is rejected (the AR part left the stationary region) the order is
//   selected afresh;
// * forecasts are clamped at 0 (expm1 first in log mode); any failure → the last value.
// The fit uses at most the latest ARIMA_MAX_FIT_POINTS points so a planner tick stays cheap on long runs.
import type { ArimaFit, ArimaOrder } from "./arima-fit.js";
import { fitArimaOrder } from "./arima-fit.js";
import { autoArima } from "./auto-arima.js";
import { BasePredictor, type PredictorOptions, resolvePredictorOptions } from "./base.js";

export const ARIMA_MIN_POINTS = 5;
/** Points kept and fitted (25 hours of 3-minute throughput ticks). */
export const ARIMA_MAX_FIT_POINTS = 500;

export class ArimaPredictor extends BasePredictor {
  private readonly raw: number[] = [];
  private logMode: boolean;
  private fit: ArimaFit | null = null;
  private cachedForecast: number | null = null;
  private allIdentical = true;
  private firstValue = 0;

  /** Fields left out take DEFAULT_PREDICTOR_OPTIONS (raw mode); a bad one throws. */
  constructor(partial: Partial<PredictorOptions> = {}) {
    super();
    this.logMode = resolvePredictorOptions(partial, "ArimaPredictor").log1p;
  }

  /** Selected order, null before the first fit. */
  get order(): ArimaOrder | null {
    return this.fit === null
      ? null
      : { p: this.fit.p, d: this.fit.d, q: this.fit.q, includeConstant: this.fit.includeConstant };
  }

  /** True once the model works on log1p values (requested, or switched after a raw p = q = 0 selection). */
  get usesLog1p(): boolean {
    return this.logMode;
  }

  protected override storedValue(value: number): number {
    return Math.max(0, value);
  }

  protected accept(value: number): void {
    const v = Math.max(0, value);
    if (this.size === 1) this.firstValue = v;
    else if (v !== this.firstValue) this.allIdentical = false;
    this.raw.push(v);
    if (this.raw.length > ARIMA_MAX_FIT_POINTS) this.raw.shift();
    this.cachedForecast = null;
  }

  predictNext(): number {
    if (this.size < ARIMA_MIN_POINTS) return this.getLastValue();
    if (this.allIdentical) return this.firstValue;
    if (this.cachedForecast !== null) return this.cachedForecast;
    try {
      const fit = this.refit();
      const forecast = this.logMode ? Math.max(0, Math.expm1(fit.forecast)) : Math.max(0, fit.forecast);
      if (!Number.isFinite(forecast)) return this.getLastValue();
      this.cachedForecast = forecast;
      return forecast;
    } catch {
      return this.getLastValue();
    }
  }

  private refit(): ArimaFit {
    let fit: ArimaFit | null;
    if (this.fit === null) {
      fit = autoArima(this.modelSeries());
      if (!this.logMode && fit.p === 0 && fit.q === 0) {
        this.logMode = true;
        fit = autoArima(this.modelSeries());
      }
    } else {
      const series = this.modelSeries();
      fit = fitArimaOrder(series, this.fit, this.fit.conditioningStart, this.fit.ma) ?? autoArima(series);
    }
    this.fit = fit;
    return fit;
  }

  private modelSeries(): number[] {
    return this.logMode ? this.raw.map(Math.log1p) : this.raw.slice();
  }
}
