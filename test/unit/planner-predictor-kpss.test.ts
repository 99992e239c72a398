import { describe, expect, it } from "vitest";
import {
  isConstantSeries,
  KPSS_LEVEL_CRITICAL_5PCT,
  kpssLevelStatistic,
  selectDifferencingOrder,
} from "../../src/planner/predictors/auto-arima.js";

describe("KPSS level statistic", () => {
  it("matches a hand computation without autocovariance lags", () => {
    // x = 1..5, n = 5, lags = trunc(3·√5/13) = 0. e = [−2,−1,0,1,2], partial sums [−2,−3,−3,−2,0],
    // Σ S² = 26; σ̂² = Σe²/n = 10/5 = 2 → η = 26/25/2 = 0.52
    expect(kpssLevelStatistic([1, 2, 3, 4, 5])).toBeCloseTo(0.52, 12);
  });

  it("applies Bartlett-weighted autocovariances (Newey–West)", () => {
    // x = [1,−1] × 10, n = 20, lags = trunc(3·√20/13) = 1. Partial sums alternate 1,0 → Σ S² = 10 → 10/400.
    // γ0 = 20/20 = 1; lag-1 sum = 19·(−1); weight 1 − 1/2 → σ̂² = 1 + (2/20)·0.5·(−19) = 0.05 → η = 0.5
    const x = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    expect(kpssLevelStatistic(x)).toBeCloseTo(0.5, 12);
  });
});

describe("differencing order selection", () => {
  it("differences a ramp once (the first difference is constant)", () => {
    // η(1..5) = 0.52 > 0.463 → difference → [1,1,1,1] constant → d = 1
    expect(KPSS_LEVEL_CRITICAL_5PCT).toBe(0.463);
    expect(selectDifferencingOrder([1, 2, 3, 4, 5])).toBe(1);
    expect(selectDifferencingOrder(Array.from({ length: 40 }, (_, i) => 3 + 0.5 * i))).toBe(1);
  });

  it("does not difference a constant or a level-stationary series", () => {
    expect(selectDifferencingOrder([4, 4, 4, 4, 4, 4])).toBe(0);
    // alternating series: η(±1 × 5, n = 10, lags 0) = (Σ S² = 5)/100/1 = 0.05 < 0.463
    expect(selectDifferencingOrder([1, -1, 1, -1, 1, -1, 1, -1, 1, -1])).toBe(0);
  });

  it("differences a quadratic twice", () => {
    const x = Array.from({ length: 30 }, (_, i) => i * i);
    expect(selectDifferencingOrder(x)).toBe(2);
  });

  it("recognises numerically constant series", () => {
    expect(isConstantSeries([0.1 + 0.2, 0.3])).toBe(true);
    expect(isConstantSeries([1, 1.0001])).toBe(false);
  });
});
