import { describe, expect, it } from "vitest";
import { applyGlobalBudget } from "../../src/planner/budget.js";

// docs/planner.md#gpu-budget, apply_global_budget: scale = budget/total;
// max_p = floor((budget − min·g_d)/g_p); p' = max(min, min(max_p, floor(p·scale)));
// d' = max(min, floor((budget − p'·g_p)/g_d)).
describe("joint prefill + decode GPU budget clamp", () => {
  it("budget 8, g_p 2, g_d 1, (4, 4) → (2, 4)", () => {
    // total 12 > 8; scale 2/3; max_p = floor(7/2) = 3; p' = max(1, min(3, floor(2.67) = 2)) = 2;
    // remaining 8 − 4 = 4 → d' = 4
    expect(applyGlobalBudget(4, 4, 2, 1, { maxGpuBudget: 8, minEndpoint: 1 })).toEqual({
      numPrefill: 2,
      numDecode: 4,
    });
  });

  it("budget 10, g_p 4, g_d 1, (3, 1) → (2, 2): decode receives the leftover and ends above the request", () => {
    // total 13 > 10; scale 10/13; max_p = floor(9/4) = 2; floor(3·0.769) = 2 → p' = 2; remaining 2 → d' = 2
    expect(applyGlobalBudget(3, 1, 4, 1, { maxGpuBudget: 10, minEndpoint: 1 })).toEqual({
      numPrefill: 2,
      numDecode: 2,
    });
  });

  it("budget 2 below min_req = 1·2 + 1·1 = 3 → (0, 0)", () => {
    expect(applyGlobalBudget(1, 1, 2, 1, { maxGpuBudget: 2, minEndpoint: 1 })).toEqual({
      numPrefill: 0,
      numDecode: 0,
    });
  });

  it("leaves a pair that fits unchanged (total exactly the budget)", () => {
    // 2·2 + 4·1 = 8 ≤ 8
    expect(applyGlobalBudget(2, 4, 2, 1, { maxGpuBudget: 8, minEndpoint: 1 })).toEqual({
      numPrefill: 2,
      numDecode: 4,
    });
  });

  it("does nothing when either GPU count is unknown or the budget is disabled", () => {
    const limits = { maxGpuBudget: 1, minEndpoint: 1 };
    expect(applyGlobalBudget(9, 9, null, 1, limits)).toEqual({ numPrefill: 9, numDecode: 9 });
    expect(applyGlobalBudget(9, 9, 1, undefined, limits)).toEqual({ numPrefill: 9, numDecode: 9 });
    expect(applyGlobalBudget(9, 9, 1, 1, { maxGpuBudget: -1, minEndpoint: 1 })).toEqual({
      numPrefill: 9,
      numDecode: 9,
    });
  });

  it("caps prefill at max_p so decode keeps its floor (budget 6, g_p 1, g_d 2, (10, 1))", () => {
    // total 12 > 6; scale 0.5; max_p = floor((6 − 2)/1) = 4; floor(10·0.5) = 5 → p' = min(4, 5) = 4;
    // remaining 6 − 4 = 2 → d' = floor(2/2) = 1
    expect(applyGlobalBudget(10, 1, 1, 2, { maxGpuBudget: 6, minEndpoint: 1 })).toEqual({
      numPrefill: 4,
      numDecode: 1,
    });
  });
});
