import { describe, expect, it } from "vitest";
import { nelderMead } from "../../src/planner/predictors/nelder-mead.js";

describe("Nelder–Mead", () => {
  it("minimises a shifted quadratic", () => {
    const r = nelderMead((x) => (x[0]! - 3) ** 2 + 2 * (x[1]! + 1) ** 2, [0, 0], { steps: [1, 1] });
    expect(r.x[0]).toBeCloseTo(3, 5);
    expect(r.x[1]).toBeCloseTo(-1, 5);
    expect(r.value).toBeLessThan(1e-10);
  });

  it("finds the Rosenbrock valley minimum at (1, 1)", () => {
    const rosen = (x: readonly number[]) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const r = nelderMead(rosen, [-1.2, 1], { steps: [0.5, 0.5], maxIterations: 2000 });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it("respects an infeasible region marked with +Infinity", () => {
    // minimum of (x − 2)² subject to x ≤ 1 → x = 1
    const r = nelderMead((x) => (x[0]! > 1 ? Number.POSITIVE_INFINITY : (x[0]! - 2) ** 2), [0], {
      steps: [0.3],
    });
    expect(r.x[0]).toBeLessThanOrEqual(1);
    expect(r.x[0]).toBeCloseTo(1, 5);
  });
});
