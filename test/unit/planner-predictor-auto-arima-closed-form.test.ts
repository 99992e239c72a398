// Closed-form checks of the TypeScript auto-ARIMA (the `arima` npm package failed these; see notes.md).
import { describe, expect, it } from "vitest";
import { autoArima } from "../../src/planner/predictors/auto-arima.js";

/** mulberry32 uniform generator and Box–Muller normals, seeded. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe("auto-ARIMA on closed-form cases", () => {
  it("forecasts a random walk's last value", () => {
    // x_t = x_{t−1} + e_t, e ~ N(0, 1): the optimal forecast is x_n. Drift, if chosen, is ~ N(0, 1/n).
    const e = normals(1);
    const x = [100];
    for (let i = 1; i < 300; i++) x.push(x[i - 1]! + e());
    const fit = autoArima(x);
    expect(fit.d).toBe(1);
    expect(Math.abs(fit.forecast - x.at(-1)!)).toBeLessThan(0.25);
  });

  it("forecasts φ·x_t for a long zero-mean AR(1) with φ = 0.6", () => {
    const e = normals(2);
    const phi = 0.6;
    const x = [0];
    for (let i = 1; i < 3000; i++) x.push(phi * x[i - 1]! + e());
    // End the series at its largest |x| among the last 200 points so φ·x_t is far from the mean 0.
    let end = x.length - 200;
    for (let i = x.length - 200; i < x.length; i++) if (Math.abs(x[i]!) > Math.abs(x[end]!)) end = i;
    const series = x.slice(0, end + 1);
    const last = series.at(-1)!;
    expect(Math.abs(last)).toBeGreaterThan(2);
    const fit = autoArima(series);
    expect(fit.d).toBe(0);
    // φ̂ has standard error √((1 − φ²)/n) ≈ 0.015, so the forecast is within ~0.1 of φ·x_t.
    expect(Math.abs(fit.forecast - phi * last)).toBeLessThan(0.1 + 0.05 * Math.abs(last));
  });

  it("continues a clean linear ramp", () => {
    // 10, 12, …, 58 → d = 1 (differences constant), drift 2 → 60
    const ramp = Array.from({ length: 25 }, (_, i) => 10 + 2 * i);
    const fit = autoArima(ramp);
    expect(fit.d).toBe(1);
    expect(fit.includeConstant).toBe(true);
    expect(fit.forecast).toBeCloseTo(60, 9);
  });

  it("returns the value of a constant series", () => {
    const fit = autoArima([7, 7, 7, 7, 7, 7]);
    expect(fit.d).toBe(0);
    expect(fit.forecast).toBeCloseTo(7, 12);
  });

  it("forecasts an MA(1) as its mean plus θ times the last innovation", () => {
    // w_t = 5 + e_t + 0.5·e_{t−1}: E[w_{n+1} | past] = 5 + 0.5·e_n
    const e = normals(3);
    const x: number[] = [];
    let prev = 0;
    for (let i = 0; i < 1500; i++) {
      const now = e();
      x.push(5 + now + 0.5 * prev);
      prev = now;
    }
    const fit = autoArima(x);
    expect(fit.d).toBe(0);
    expect(fit.q).toBeGreaterThanOrEqual(1);
    expect(Math.abs(fit.forecast - (5 + 0.5 * prev))).toBeLessThan(0.15);
  });

  it("rejects series it cannot model", () => {
    expect(() => autoArima([1])).toThrow(RangeError);
    expect(() => autoArima([1, 2, Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
