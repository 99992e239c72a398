import { describe, expect, it } from "vitest";
import { DEFAULT_PREDICTOR_OPTIONS } from "../../src/planner/predictors/base.js";
import { KalmanPredictor } from "../../src/planner/predictors/kalman.js";

const raw = { ...DEFAULT_PREDICTOR_OPTIONS, kalmanQLevel: 1, kalmanQTrend: 0.1, kalmanR: 10 };

describe("Kalman predictor (local linear trend)", () => {
  it("returns 0 before any data and initialises on the first point without filtering", () => {
    const k = new KalmanPredictor(raw);
    expect(k.predictNext()).toBe(0);
    k.addDataPoint(10);
    expect(k.state).toEqual({ level: 10, trend: 0, covariance: [1000, 0, 1000] });
    // predict: x = F·[10, 0] = [10, 0]
    expect(k.predictNext()).toBe(10);
  });

  it("applies one predict step and a Joseph-form update per point (hand-worked)", () => {
    // After 10: P = 1000·I. Predict: P = FPFᵀ + Q = [[2001, 1000], [1000, 1000.1]].
    // Update with 20: S = 2011, K = [2001/2011, 1000/2011], innovation 10
    //   level = 10 + 20010/2011, trend = 10000/2011
    //   P = (I − KH)P(…)ᵀ + KRKᵀ = [[20010/2011, 10000/2011], [·, 1000.1 − 10⁶/2011]]
    // Next predict: level + trend = 10 + 30010/2011 = 50120/2011 = 24.9229…
    const k = new KalmanPredictor(raw);
    k.addDataPoint(10);
    k.addDataPoint(20);
    const s = k.state;
    expect(s.level).toBeCloseTo(10 + 20010 / 2011, 10);
    expect(s.trend).toBeCloseTo(10000 / 2011, 10);
    expect(s.covariance[0]).toBeCloseTo(20010 / 2011, 9);
    expect(s.covariance[1]).toBeCloseTo(10000 / 2011, 9);
    expect(s.covariance[2]).toBeCloseTo(1000.1 - 1e6 / 2011, 9);
    expect(k.predictNext()).toBeCloseTo(50120 / 2011, 10);
  });

  it("caches the forecast: repeated predictions do not advance the filter, and the next update reuses it", () => {
    const withPeeks = new KalmanPredictor(raw);
    const without = new KalmanPredictor(raw);
    for (const v of [10, 20, 26, 35]) {
      withPeeks.addDataPoint(v);
      withPeeks.predictNext();
      withPeeks.predictNext();
      without.addDataPoint(v);
    }
    const first = withPeeks.predictNext();
    expect(withPeeks.predictNext()).toBe(first);
    expect(without.predictNext()).toBeCloseTo(first, 12);
    expect(without.state.level).toBeCloseTo(withPeeks.state.level, 12);
  });

  it("does not clamp raw forecasts but clamps log-mode forecasts at 0", () => {
    const rawK = new KalmanPredictor(raw);
    const logK = new KalmanPredictor({ ...raw, log1p: true });
    for (const v of [100, 50, 1]) {
      rawK.addDataPoint(v);
      logK.addDataPoint(v);
    }
    expect(rawK.predictNext()).toBeLessThan(0);
    expect(logK.predictNext()).toBeGreaterThanOrEqual(0);
  });

  it("works on log1p values in log mode", () => {
    // one point 9 → level ln(10); forecast expm1(ln 10) = 9
    const k = new KalmanPredictor({ ...raw, log1p: true });
    k.addDataPoint(9);
    expect(k.state.level).toBeCloseTo(Math.log(10), 12);
    expect(k.predictNext()).toBeCloseTo(9, 10);
  });

  it("floors Q at 1e-12 and R at 1e-9, and refuses negative noise as the config does", () => {
    // Q = 0 floored: predict P = [[2000, 1000], [1000, 1000]] (+1e-12); S = 2010; level = 10 + 10·2000/2010,
    // trend = 10·1000/2010 → forecast 10 + 30000/2010.
    expect(() => new KalmanPredictor({ ...raw, kalmanQLevel: -5 })).toThrow(
      /kalmanQLevel must be a finite number >= 0/,
    );
    const k = new KalmanPredictor({ ...raw, kalmanQLevel: 0, kalmanQTrend: 0 });
    k.addDataPoint(10);
    k.addDataPoint(20);
    expect(k.predictNext()).toBeCloseTo(10 + 30000 / 2010, 9);
    // R = 0 → 1e-9: the update trusts the observation almost fully, level ≈ 20.
    const sharp = new KalmanPredictor({ ...raw, kalmanR: 0 });
    sharp.addDataPoint(10);
    sharp.addDataPoint(20);
    expect(sharp.state.level).toBeCloseTo(20, 6);
    expect(Number.isFinite(sharp.predictNext())).toBe(true);
  });

  it("keeps kalman_min_points only as a stored setting", () => {
    const k = new KalmanPredictor({ ...raw, kalmanMinPoints: 50 });
    k.addDataPoint(10);
    expect(k.minPoints).toBe(50);
    expect(k.predictNext()).toBe(10);
  });
});
