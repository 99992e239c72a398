import { describe, expect, it } from "vitest";
import { LogLinearHistogram } from "../../native-free-kernels/histogram.js";
import { cdfOfHistogram, cdfOfValues } from "../../src/replay/distributions.js";

describe("CDF points for the report's charts", () => {
  it("few values: one point per value, sorted, p = rank/n", () => {
    expect(cdfOfValues(Float64Array.of(30, 10, 20, 10))).toEqual([
      [10, 0.25],
      [10, 0.5],
      [20, 0.75],
      [30, 1],
    ]);
    expect(cdfOfValues(new Float64Array(0))).toEqual([]);
  });

  it("many values: at most 256 points at ranks ⌈k·n/256⌉, ending at the maximum with p = 1", () => {
    // Values 1..1000: point k sits at rank ⌈1000k/256⌉, whose value is that rank.
    const values = Float64Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const points = cdfOfValues(values);
    expect(points).toHaveLength(256);
    expect(points[0]).toEqual([4, 0.004]); // ⌈1000/256⌉ = ⌈3.906⌉ = 4
    expect(points[127]).toEqual([500, 0.5]); // ⌈128 000/256⌉ = 500
    expect(points[255]).toEqual([1000, 1]);
    for (let i = 1; i < points.length; i++) {
      expect((points[i] as [number, number])[0]).toBeGreaterThan((points[i - 1] as [number, number])[0]);
    }
  });

  it("a pooled histogram gives the same ranks, each value within the histogram's error bound", () => {
    const h = new LogLinearHistogram(10);
    for (let v = 1; v <= 1000; v++) h.record(v);
    const points = cdfOfHistogram(h);
    expect(points).toHaveLength(256);
    const exact = cdfOfValues(Float64Array.from({ length: 1000 }, (_, i) => i + 1));
    points.forEach(([value, p], i) => {
      const [exactValue, exactP] = exact[i] as [number, number];
      expect(p).toBe(exactP);
      expect(Math.abs(value - exactValue) / exactValue).toBeLessThanOrEqual(2 ** -10);
    });
    expect(points[255]).toEqual([1000, 1]);
    expect(cdfOfHistogram(new LogLinearHistogram(10))).toEqual([]);
  });
});
