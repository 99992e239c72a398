import { describe, expect, it } from "vitest";
import { MovingAverage } from "../../src/planner/perf-model/moving-average.js";

describe("MovingAverage", () => {
  it("is 0 when empty or when only zeros were seen", () => {
    const avg = new MovingAverage(3);
    expect(avg.value).toBe(0);
    avg.add(0);
    avg.add(0);
    expect(avg.size).toBe(0);
    expect(avg.value).toBe(0);
  });

  it("skips leading zeros, keeps later zeros, and keeps only the last `capacity` values", () => {
    const avg = new MovingAverage(3);
    for (const v of [0, 0, 2, 0, 4]) avg.add(v);
    // window [2, 0, 4] → 6/3 = 2
    expect(avg.value).toBe(2);
    avg.add(6);
    // window [0, 4, 6] → 10/3
    expect(avg.value).toBeCloseTo(10 / 3, 12);
    expect(avg.size).toBe(3);
  });

  it("rejects a non-positive window", () => {
    expect(() => new MovingAverage(0)).toThrow(RangeError);
  });
});
