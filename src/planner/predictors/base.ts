// Load predictors' common behaviour (docs/planner.md#predictors, `BasePredictor.add_data_point`): NaN → 0,
// and an idle skip that drops zeros until the first non-zero value, so a deployment that has not yet seen
// traffic does not teach its forecaster that load is 0. `resetIdleSkip()` re-arms the skip (after trace
// warm-up).

import { checkBoolean, checkFiniteAtLeast, checkIntegerAtLeast, withDefaults } from "../../util/options.js";

export interface PredictorOptions {
  /** Model log1p(value) instead of the raw value (forecasts are mapped back with expm1). */
  readonly log1p: boolean;
  readonly kalmanQLevel: number;
  readonly kalmanQTrend: number;
  readonly kalmanR: number;
  /** Stored for parity with the config surface; the Kalman filter does not consult it (as upstream). */
  readonly kalmanMinPoints: number;
  /** `prophet_window_size`: points the Holt substitute fits on. */
  readonly windowSize: number;
}

/**
 * The defaults of `load_predictor_log1p`, `kalman_*` and `prophet_window_size`: the planner config parser takes
 * its defaults for those keys from here, so a predictor built from code and one built from an empty config agree.
 */
export const DEFAULT_PREDICTOR_OPTIONS: PredictorOptions = Object.freeze({
  log1p: false,
  kalmanQLevel: 1.0,
  kalmanQTrend: 0.1,
  kalmanR: 10.0,
  kalmanMinPoints: 5,
  windowSize: 50,
});

/** Defaults filled in and every field checked by the planner config's rules (`where` names the caller). */
export function resolvePredictorOptions(
  input: Partial<PredictorOptions> | undefined,
  where: string,
): PredictorOptions {
  const o = withDefaults(DEFAULT_PREDICTOR_OPTIONS, input, where);
  checkBoolean(where, "log1p", o.log1p);
  checkFiniteAtLeast(where, "kalmanQLevel", o.kalmanQLevel, 0);
  checkFiniteAtLeast(where, "kalmanQTrend", o.kalmanQTrend, 0);
  checkFiniteAtLeast(where, "kalmanR", o.kalmanR, 0);
  checkIntegerAtLeast(where, "kalmanMinPoints", o.kalmanMinPoints, 1);
  checkIntegerAtLeast(where, "windowSize", o.windowSize, 1);
  return o;
}

export interface LoadPredictor {
  addDataPoint(value: number): void;
  /** One-step-ahead forecast; never throws (falls back to the last value). */
  predictNext(): number;
  /** Last accepted value, 0 when none. */
  getLastValue(): number;
  resetIdleSkip(): void;
  /** Accepted data points so far. */
  readonly size: number;
}

export abstract class BasePredictor implements LoadPredictor {
  private seenNonZero = false;
  private lastValue = 0;
  private accepted = 0;

  addDataPoint(value: number): void {
    const v = Number.isNaN(value) ? 0 : value;
    if (!this.seenNonZero) {
      if (v === 0) return;
      this.seenNonZero = true;
    }
    this.lastValue = this.storedValue(v);
    this.accepted++;
    this.accept(v);
  }

  resetIdleSkip(): void {
    this.seenNonZero = false;
  }

  getLastValue(): number {
    return this.lastValue;
  }

  get size(): number {
    return this.accepted;
  }

  abstract predictNext(): number;

  /** Subclass hook: the value after NaN mapping and idle skip. */
  protected abstract accept(value: number): void;

  /** What `getLastValue` reports for an accepted value (ARIMA stores values clamped at 0). */
  protected storedValue(value: number): number {
    return value;
  }
}
