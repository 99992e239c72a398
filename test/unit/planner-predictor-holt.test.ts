import { describe, expect, it } from "vitest";
import { DEFAULT_PREDICTOR_OPTIONS } from "../../src/planner/predictors/base.js";
import { HoltPredictor } from "../../src/planner/predictors/holt.js";
import { fitHolt, holtSmooth } from "../../src/planner/predictors/holt-smoothing.js";

describe("Holt smoothing recursions", () => {
  it("match a hand computation at α = β = 0.5", () => {
    // y = 10, 12, 15, 14, 18; level₀ = 10, trend₀ = 2
    // t1: pred 12, err 0     → level 12,       trend 2
    // t2: pred 14, err 1     → level 14.5,     trend 2.25
    // t3: pred 16.75, err −2.75 → level 15.375, trend 1.5625
    // t4: pred 16.9375, err 1.0625 → level 17.46875, trend 1.828125
    // SSE = 1 + 7.5625 + 1.12890625 = 9.69140625; forecast = 19.296875
    const fit = holtSmooth([10, 12, 15, 14, 18], 0.5, 0.5);
    expect(fit.level).toBeCloseTo(17.46875, 12);
    expect(fit.trend).toBeCloseTo(1.828125, 12);
    expect(fit.sse).toBeCloseTo(9.69140625, 12);
    expect(fit.forecast).toBeCloseTo(19.296875, 12);
  });
});

describe("Holt weight fitting", () => {
  it("reaches at least the SSE of a fine brute-force (α, β) grid", () => {
    const y = [12, 15, 14, 19, 23, 22, 27, 26, 31, 35, 33, 38, 41, 40, 46, 44, 49, 53, 52, 58];
    let gridBest = Number.POSITIVE_INFINITY;
    for (let a = 1; a <= 99; a++) {
      for (let b = 1; b <= 99; b++) gridBest = Math.min(gridBest, holtSmooth(y, a / 100, b / 100).sse);
    }
    const fit = fitHolt(y);
    expect(fit.sse).toBeLessThanOrEqual(gridBest * (1 + 1e-9));
    expect(fit.alpha).toBeGreaterThan(0);
    expect(fit.alpha).toBeLessThan(1);
    expect(fit.beta).toBeGreaterThan(0);
    expect(fit.beta).toBeLessThan(1);
  });

  it("continues a clean ramp and holds a constant", () => {
    expect(fitHolt([3, 5, 7, 9, 11, 13]).forecast).toBeCloseTo(15, 9);
    expect(fitHolt([4, 4, 4, 4, 4]).forecast).toBeCloseTo(4, 12);
  });
});

describe("Holt predictor (the prophet substitute)", () => {
  const options = { ...DEFAULT_PREDICTOR_OPTIONS, windowSize: 5 };

  it("returns the last value below 5 points (expm1 of the stored log value in log mode)", () => {
    const p = new HoltPredictor(options);
    expect(p.predictNext()).toBe(0);
    p.addDataPoint(3);
    p.addDataPoint(8);
    expect(p.predictNext()).toBe(8);
    const q = new HoltPredictor({ ...options, log1p: true });
    q.addDataPoint(-2); // stored as log1p(max(0, −2)) = 0
    expect(q.predictNext()).toBe(0);
    q.addDataPoint(9);
    expect(q.predictNext()).toBeCloseTo(9, 12);
  });

  it("fits only the last windowSize points", () => {
    const p = new HoltPredictor(options);
    const values = [90, 1, 70, 3, 5, 8, 6, 11, 10];
    for (const v of values) p.addDataPoint(v);
    expect(p.predictNext()).toBeCloseTo(Math.max(0, fitHolt(values.slice(-5)).forecast), 12);
  });

  it("clamps forecasts at 0", () => {
    // exact ramp 50, 38, 26, 14, 2 → next −10 → 0
    const p = new HoltPredictor(options);
    for (const v of [50, 38, 26, 14, 2]) p.addDataPoint(v);
    expect(p.fit).toBeNull();
    expect(p.predictNext()).toBe(0);
    expect(p.fit!.forecast).toBeCloseTo(-10, 9);
  });

  it("fits log1p values in log mode and maps the forecast back with expm1", () => {
    const values = [10, 14, 19, 27, 38, 52];
    const p = new HoltPredictor({ ...options, log1p: true });
    for (const v of values) p.addDataPoint(v);
    const expected = Math.max(0, Math.expm1(fitHolt(values.slice(-5).map(Math.log1p)).forecast));
    expect(p.predictNext()).toBeCloseTo(expected, 9);
  });

  it("rejects a window smaller than 1", () => {
    expect(() => new HoltPredictor({ ...options, windowSize: 0 })).toThrow(RangeError);
  });
});
