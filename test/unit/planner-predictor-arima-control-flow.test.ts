// The ARIMA predictor's wrapper control flow (docs/planner.md#predictors).
import { describe, expect, it } from "vitest";
import { ArimaPredictor } from "../../src/planner/predictors/arima.js";
import { autoArima } from "../../src/planner/predictors/auto-arima.js";
import { DEFAULT_PREDICTOR_OPTIONS } from "../../src/planner/predictors/base.js";

const raw = DEFAULT_PREDICTOR_OPTIONS;
const logMode = { ...DEFAULT_PREDICTOR_OPTIONS, log1p: true };

function feed(p: ArimaPredictor, values: readonly number[]): ArimaPredictor {
  for (const v of values) p.addDataPoint(v);
  return p;
}

describe("ARIMA predictor control flow", () => {
  it("returns the last value below 5 points, storing values clamped at 0", () => {
    const p = feed(new ArimaPredictor(raw), [3, 8]);
    expect(p.predictNext()).toBe(8);
    p.addDataPoint(-4);
    expect(p.getLastValue()).toBe(0);
    expect(p.predictNext()).toBe(0);
    expect(p.order).toBeNull();
  });

  it("short-cuts an all-identical series to its value without fitting", () => {
    const p = feed(new ArimaPredictor(raw), [42, 42, 42, 42, 42, 42]);
    expect(p.predictNext()).toBe(42);
    expect(p.order).toBeNull();
  });

  it("switches to log1p for good when the raw first fit selects p = q = 0", () => {
    // A clean ramp selects (0,1,0) with drift in raw space → refit on log1p values.
    const ramp = Array.from({ length: 25 }, (_, i) => 10 + 2 * i);
    expect(autoArima(ramp).p + autoArima(ramp).q).toBe(0);
    const p = feed(new ArimaPredictor(raw), ramp);
    const forecast = p.predictNext();
    expect(p.usesLog1p).toBe(true);
    const expected = Math.max(0, Math.expm1(autoArima(ramp.map(Math.log1p)).forecast));
    expect(forecast).toBeCloseTo(expected, 9);
    p.addDataPoint(60);
    p.predictNext();
    expect(p.usesLog1p).toBe(true);
  });

  it("stays in raw mode when the first fit has AR or MA terms, and clamps forecasts at 0", () => {
    // A falling series whose raw fit is (0,1,1) with drift and forecasts −8.57 → 0.
    const falling = [120, 110, 105, 90, 85, 70, 65, 50, 45, 30, 25, 10, 5];
    const reference = autoArima(falling);
    expect(reference.q).toBeGreaterThan(0);
    expect(reference.forecast).toBeLessThan(0);
    const p = feed(new ArimaPredictor(raw), falling);
    expect(p.predictNext()).toBe(0);
    expect(p.usesLog1p).toBe(false);
  });

  it("maps log-mode forecasts back with expm1 and clamps them at 0", () => {
    // log1p values 3, 2.3, 1.6, 0.9, 0.2 → d = 1, drift −0.7 → log forecast −0.5 → expm1 < 0 → 0
    const values = [3, 2.3, 1.6, 0.9, 0.2].map(Math.expm1);
    expect(autoArima(values.map(Math.log1p)).forecast).toBeCloseTo(-0.5, 9);
    const p = feed(new ArimaPredictor(logMode), values);
    expect(p.predictNext()).toBe(0);
    expect(p.usesLog1p).toBe(true);
  });

  it("keeps the selected order on later points and reuses the forecast until new data arrives", () => {
    const series = [50, 58, 47, 55, 61, 49, 52, 60, 45, 57, 53, 48, 59, 51, 56];
    const p = feed(new ArimaPredictor(raw), series);
    const first = p.predictNext();
    const order = p.order;
    expect(order).not.toBeNull();
    expect(p.predictNext()).toBe(first);
    p.addDataPoint(70);
    const second = p.predictNext();
    expect(p.order).toEqual(order);
    expect(second).not.toBe(first);
  });

  it("falls back to the last value when the model cannot be fitted", () => {
    const p = feed(new ArimaPredictor(raw), [1, 2, 3, 4, Number.POSITIVE_INFINITY]);
    expect(p.predictNext()).toBe(Number.POSITIVE_INFINITY);
  });

  it("ignores leading zeros (idle skip) before counting points", () => {
    const p = feed(new ArimaPredictor(raw), [0, 0, 0, 5, 6, 7, 8]);
    expect(p.size).toBe(4);
    expect(p.predictNext()).toBe(8);
  });
});
