import { describe, expect, it } from "vitest";
import { fitMinNormLeastSquares } from "../../src/planner/perf-model/least-squares.js";

describe("fitMinNormLeastSquares", () => {
  it("recovers an exact line", () => {
    // wall = 0.001·x + 0.002 at x = 500 … 2500
    const xs = [500, 1000, 1500, 2000, 2500];
    const fit = fitMinNormLeastSquares(
      xs.map((x) => [x]),
      xs.map((x) => 0.001 * x + 0.002),
    );
    expect(fit.coef[0]).toBeCloseTo(0.001, 12);
    expect(fit.intercept).toBeCloseTo(0.002, 12);
  });

  it("solves a full-rank plane by hand", () => {
    // Points (0,0)→1, (1,0)→3, (0,1)→4, (1,1)→5. Centred: x̄ = (.5,.5), ȳ = 3.25; XcᵀXc = I;
    // Xcᵀyc = (1.5, 2.5) → coef = (1.5, 2.5), intercept = 3.25 − .5·1.5 − .5·2.5 = 1.25.
    const fit = fitMinNormLeastSquares(
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      [1, 3, 4, 5],
    );
    expect(fit.coef[0]).toBeCloseTo(1.5, 12);
    expect(fit.coef[1]).toBeCloseTo(2.5, 12);
    expect(fit.intercept).toBeCloseTo(1.25, 12);
  });

  it("returns sklearn's minimum-norm answer on perfectly collinear decode points", () => {
    // (n, kv) = (5,5000) … (40,40000), wall = 1e-5·kv + 0.001. Centred rows are (n − n̄)·(1, 1000), so the
    // min-norm coef is α·(1, 1000) with α·(1 + 1e6) = 1e-5·1000 → α = 0.01/1000001 = 9.99999000001e-9.
    // intercept = ȳ − x̄·coef = (1e-5·kv̄ + 0.001) − α·n̄·(1 + 1e6) = 0.001.
    const ns = [5, 10, 15, 20, 25, 30, 35, 40];
    const fit = fitMinNormLeastSquares(
      ns.map((n) => [n, 1000 * n]),
      ns.map((n) => 1e-5 * 1000 * n + 0.001),
    );
    const alpha = 0.01 / 1000001;
    expect(fit.coef[0]! / alpha).toBeCloseTo(1, 9);
    expect(fit.coef[1]! / (1000 * alpha)).toBeCloseTo(1, 9);
    expect(fit.coef[0]).toBeCloseTo(9.99999e-9, 14);
    expect(fit.coef[1]).toBeCloseTo(9.99999e-6, 11);
    expect(fit.intercept).toBeCloseTo(0.001, 12);
  });

  it("gives a zero coefficient to a constant feature", () => {
    // kv constant at 0: its centred column is zero, so min-norm puts no weight on it.
    const fit = fitMinNormLeastSquares(
      [1, 2, 3, 4].map((n) => [n, 0]),
      [1, 2, 3, 4].map((n) => 0.001 * n + 0.005),
    );
    expect(fit.coef[1]).toBe(0);
    expect(fit.coef[0]).toBeCloseTo(0.001, 12);
    expect(fit.intercept).toBeCloseTo(0.005, 12);
  });
});
