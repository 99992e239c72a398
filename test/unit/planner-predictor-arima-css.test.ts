// Fixed-order conditional-sum-of-squares fits against slow, obviously correct references.
import { describe, expect, it } from "vitest";
import {
  fitArimaOrder,
  isInvertible,
  isStationary,
  solveLeastSquares,
} from "../../src/planner/predictors/arima-fit.js";

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

describe("ARIMA CSS fits", () => {
  it("recovers a noiseless AR(1) with intercept exactly", () => {
    // x_t = 1 + 0.5·x_{t−1} from 10: 10, 6, 4, 3, 2.5, 2.25, 2.125, 2.0625 → φ = 0.5, c = 1,
    // forecast 1 + 0.5·2.0625 = 2.03125
    const x = [10, 6, 4, 3, 2.5, 2.25, 2.125, 2.0625];
    const fit = fitArimaOrder(x, { p: 1, d: 0, q: 0, includeConstant: true }, 1)!;
    expect(fit.ar[0]).toBeCloseTo(0.5, 12);
    expect(fit.constant).toBeCloseTo(1, 12);
    expect(fit.forecast).toBeCloseTo(2.03125, 12);
  });

  it("finds the MA(1) CSS minimum that a brute-force (c, θ) grid finds", () => {
    const e = normals(5);
    const w: number[] = [];
    let prev = 0;
    for (let i = 0; i < 300; i++) {
      const now = e();
      w.push(2 + now - 0.4 * prev);
      prev = now;
    }
    // Reference: e_t = w_t − c − θ·e_{t−1}, e_{−1} = 0, minimised over a grid.
    const sse = (c: number, theta: number) => {
      let s = 0;
      let ePrev = 0;
      for (const v of w) {
        const now = v - c - theta * ePrev;
        s += now * now;
        ePrev = now;
      }
      return s;
    };
    let best = { c: 0, theta: 0, sse: Number.POSITIVE_INFINITY };
    for (let ci = -100; ci <= 100; ci++) {
      const c = 2 + ci * 0.004;
      for (let ti = -990; ti <= 990; ti += 2) {
        const theta = ti / 1000;
        const s = sse(c, theta);
        if (s < best.sse) best = { c, theta, sse: s };
      }
    }
    const fit = fitArimaOrder(w, { p: 0, d: 0, q: 1, includeConstant: true }, 0)!;
    const ours = fit.sigma2 * fit.residualCount;
    expect(ours).toBeLessThanOrEqual(best.sse * (1 + 1e-9));
    expect(sse(fit.constant, fit.ma[0]!)).toBeCloseTo(ours, 6);
    expect(Math.abs(fit.ma[0]! - best.theta)).toBeLessThan(0.01);
    expect(Math.abs(fit.constant - best.c)).toBeLessThan(0.01);
  });

  it("checks AR stationarity and MA invertibility on the AR(2) triangle", () => {
    expect(isStationary([0.5, 0.3])).toBe(true);
    expect(isStationary([0.6, 0.5])).toBe(false); // φ1 + φ2 > 1
    expect(isStationary([-1.2, -0.5])).toBe(true);
    expect(isStationary([0, 1])).toBe(false);
    expect(isStationary([1.01])).toBe(false);
    expect(isInvertible([0.5])).toBe(true);
    expect(isInvertible([-1.5])).toBe(false);
    expect(isInvertible([0.9, 0.2])).toBe(true);
  });

  it("solves small least-squares problems and zeroes dependent columns", () => {
    // y = 1 + 2·a on a = 0..3, with a duplicated column
    const ones = Float64Array.of(1, 1, 1, 1);
    const a = Float64Array.of(0, 1, 2, 3);
    const y = Float64Array.of(1, 3, 5, 7);
    const beta = solveLeastSquares([ones, a, a.slice()], y);
    expect(beta[0]).toBeCloseTo(1, 12);
    expect(beta[1]).toBeCloseTo(2, 12);
    expect(beta[2]).toBe(0);
  });
});
