import { describe, expect, it } from "vitest";
import { exactDistribution, nearestRankIndex } from "../../src/report/distribution.js";

describe("nearest-rank percentile index round((n−1)·p/100), halves away from zero (docs/design.md#request-accounting)", () => {
  it("rounds exact halves up for positive indices", () => {
    // n = 2, p50: 1·50/100 = 0.5 → 1.   n = 4, p50: 3·0.5 = 1.5 → 2.   n = 3, p75: 2·0.75 = 1.5 → 2.
    expect(nearestRankIndex(2, 50)).toBe(1);
    expect(nearestRankIndex(4, 50)).toBe(2);
    expect(nearestRankIndex(3, 75)).toBe(2);
    // n = 11, p95: 10·0.95 = 9.5 → 10 (no floating error may turn 9.5 into 9.4999…)
    expect(nearestRankIndex(11, 95)).toBe(10);
    // n = 51, p99: 50·0.99 = 49.5 → 50
    expect(nearestRankIndex(51, 99)).toBe(50);
  });

  it("rounds non-halves to nearest and clamps to the ends", () => {
    // n = 100, p90: 99·0.9 = 89.1 → 89; p99: 98.01 → 98; n = 1 → always 0
    expect(nearestRankIndex(100, 90)).toBe(89);
    expect(nearestRankIndex(100, 99)).toBe(98);
    expect(nearestRankIndex(1, 99)).toBe(0);
    expect(nearestRankIndex(7, 100)).toBe(6);
    expect(nearestRankIndex(7, 0)).toBe(0);
  });

  it("picks elements of the sorted values, never interpolating", () => {
    // sorted [1, 2, 3, 4] (given unsorted): p50 → index round(1.5) = 2 → 3; p75 → round(2.25) = 2 → 3;
    // p90 → round(2.7) = 3 → 4; mean 2.5; population std √(Σ(x−2.5)²/4) = √(5/4)
    const d = exactDistribution(new Float64Array([4, 1, 3, 2]));
    expect([d.median, d.p75, d.p90, d.p95, d.p99, d.min, d.max, d.mean]).toEqual([3, 3, 4, 4, 4, 1, 4, 2.5]);
    expect(d.std).toBeCloseTo(Math.sqrt(5 / 4), 14);
  });
});
