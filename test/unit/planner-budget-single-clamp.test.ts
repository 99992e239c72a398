import { describe, expect, it } from "vitest";
import { applySingleBudget, budgetClamp } from "../../src/planner/budget.js";

// docs/planner.md#gpu-budget: budget_clamp(d, g) — budget < 0 → d; d·g ≤ budget → d; budget < min·g → 0; else
// max(min, floor(budget / g)). apply_single_budget raises to min_endpoint first, unless GPUs are unknown.
describe("single-component GPU budget clamp", () => {
  const limits = { maxGpuBudget: 8, minEndpoint: 1 };

  it("clamps 5 replicas of 2 GPUs under a budget of 8 to floor(8/2) = 4", () => {
    // 5·2 = 10 > 8, 8 ≥ 1·2 → max(1, floor(8/2)) = 4
    expect(budgetClamp(5, 2, limits)).toBe(4);
    expect(applySingleBudget(5, 2, limits)).toBe(4);
  });

  it("answers 0 when the budget cannot hold even min_endpoint replicas (3 × 4 GPUs, budget 2)", () => {
    // 3·4 = 12 > 2 and 2 < 1·4 → 0
    expect(applySingleBudget(3, 4, { maxGpuBudget: 2, minEndpoint: 1 })).toBe(0);
  });

  it("keeps a count that fits, including exactly at the budget", () => {
    expect(budgetClamp(4, 2, limits)).toBe(4); // 8 ≤ 8
    expect(budgetClamp(3, 2, limits)).toBe(3);
  });

  it("never clamps with a negative (disabled) budget", () => {
    expect(budgetClamp(100, 8, { maxGpuBudget: -1, minEndpoint: 1 })).toBe(100);
  });

  it("raises to min_endpoint before clamping when GPUs are known", () => {
    // max(0, 2) = 2 → 2·1 ≤ 8 → 2
    expect(applySingleBudget(0, 1, { maxGpuBudget: 8, minEndpoint: 2 })).toBe(2);
  });

  it("with unknown GPUs returns the desired count unchanged — not even min_endpoint is applied", () => {
    expect(applySingleBudget(0, null, { maxGpuBudget: 8, minEndpoint: 2 })).toBe(0);
    expect(applySingleBudget(50, undefined, limits)).toBe(50);
  });

  it("floors budget/g with min_endpoint as the lower limit (budget 7, g 3, min 2 → 2)", () => {
    // 5·3 = 15 > 7; 7 ≥ 2·3 = 6 → max(2, floor(7/3) = 2) = 2
    expect(budgetClamp(5, 3, { maxGpuBudget: 7, minEndpoint: 2 })).toBe(2);
  });
});
