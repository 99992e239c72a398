import { describe, expect, it } from "vitest";
import {
  HISTOGRAM_HIGHEST_EXACT_VALUE_EXCLUSIVE,
  HISTOGRAM_LOWEST_EXACT_VALUE,
  LogLinearHistogram,
} from "../../native-free-kernels/histogram.js";

describe("LogLinearHistogram buckets, zero handling and range clamping (worked by hand)", () => {
  it("reports the bucket midpoint clamped to [min, max], and min/max exactly at the end ranks", () => {
    const h = new LogLinearHistogram(7);
    for (const v of [1, 2, 3]) h.record(v);
    // p50: rank round(2 · 50/100) = 1 → value 2, bucket [2, 2 + 2/128) → midpoint 2 · (1 + 0.5/128) = 2.0078125.
    expect(h.quantileNearestRank(50)).toBe(2.0078125);
    // p0 → rank 0 → min; p100 → rank 2 → max.
    expect(h.quantileNearestRank(0)).toBe(1);
    expect(h.quantileNearestRank(100)).toBe(3);
    // p25: rank round(0.5) = 1 (halves away from zero) → 2.0078125; p24: rank round(0.48) = 0 → 1.
    expect(h.quantileNearestRank(25)).toBe(2.0078125);
    expect(h.quantileNearestRank(24)).toBe(1);
    expect([h.count, h.min, h.max, h.sum, h.mean]).toEqual([3, 1, 3, 6, 2]);
  });

  it("clamps the midpoint to max when the top bucket holds the max", () => {
    const h = new LogLinearHistogram(2);
    for (const v of [1, 1, 1.1, 1.1]) h.record(v);
    // b = 2: 1.1 falls in [1, 1.25), midpoint 1.125 > max 1.1 → 1.1. Rank for p50: round(3 · 0.5) = 2 → 1.1.
    expect(h.quantileNearestRank(50)).toBe(1.1);
    // p30: rank round(0.9) = 1 → value 1, same bucket → midpoint 1.125 clamped to max 1.1.
    expect(h.quantileNearestRank(30)).toBe(1.1);
  });

  it("counts exact zeros (and −0) in their own bucket", () => {
    const h = new LogLinearHistogram(7);
    for (const v of [0, -0, 0, 5]) h.record(v);
    // p50: rank round(3 · 0.5) = round(1.5) = 2 → the third smallest value, 0.
    expect(h.quantileNearestRank(50)).toBe(0);
    expect(Object.is(h.min, 0)).toBe(true);
    expect(h.quantileNearestRank(100)).toBe(5);
  });

  it("clamps values outside [2^−30, 2^50) to the end buckets while min, max and sum stay exact", () => {
    expect(HISTOGRAM_LOWEST_EXACT_VALUE).toBe(2 ** -30);
    expect(HISTOGRAM_HIGHEST_EXACT_VALUE_EXCLUSIVE).toBe(2 ** 50);
    expect(HISTOGRAM_LOWEST_EXACT_VALUE).toBeLessThan(1e-9);
    expect(HISTOGRAM_HIGHEST_EXACT_VALUE_EXCLUSIVE).toBeGreaterThan(1e15);
    const h = new LogLinearHistogram(7);
    for (const v of [1e-12, 2e-12, 3e-12, 1e300, Number.MIN_VALUE]) h.record(v);
    expect(h.min).toBe(Number.MIN_VALUE);
    expect(h.max).toBe(1e300);
    expect(h.sum).toBe(Number.MIN_VALUE + 1e-12 + 2e-12 + 3e-12 + 1e300);
    const data = h.toFloat64Array();
    // Layout: 6 header slots, then the zero bucket, then 80 exponents × 128 sub-buckets.
    expect(data.length).toBe(6 + 1 + 80 * 128);
    expect(data[6 + 1]).toBe(4); // the four tiny values share the first non-zero bucket
    expect(data[data.length - 1]).toBe(1); // 1e300 sits in the last bucket
    // p75: rank round(4 · 0.75) = 3 → a tiny value; its bucket midpoint (≈ 9.3e−10) is clamped only to [min, max],
    // so out-of-range values lose their resolution (documented), but the end ranks stay exact:
    expect(h.quantileNearestRank(0)).toBe(Number.MIN_VALUE);
    expect(h.quantileNearestRank(100)).toBe(1e300);
  });

  it("places powers of two at sub-bucket 0 of their exponent", () => {
    const h = new LogLinearHistogram(3);
    h.record(1); // e = 0 → index 1 + (0 + 30) · 8 + 0 = 241
    h.record(2 ** -30); // e = −30 → index 1
    h.record(1.875); // e = 0, mantissa 0.875 = 7/8 → sub-bucket 7 → index 248
    const data = h.toFloat64Array();
    const counts = Array.from(data.subarray(6));
    expect(counts.flatMap((c, i) => (c > 0 ? [i] : []))).toEqual([1, 241, 248]);
  });

  it("is empty after reset and returns 0 for every statistic when empty", () => {
    const h = new LogLinearHistogram();
    h.record(42);
    h.reset();
    expect([h.count, h.min, h.max, h.sum, h.mean, h.quantileNearestRank(50)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("rejects negative, NaN and infinite values, bad counts, bad percents and bad subBucketBits", () => {
    const h = new LogLinearHistogram();
    for (const bad of [-1, -1e-300, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => h.record(bad)).toThrow(RangeError);
    for (const bad of [-1, 0.5, Number.NaN]) expect(() => h.record(1, bad)).toThrow(RangeError);
    for (const bad of [-0.1, 100.1, Number.NaN]) expect(() => h.quantileNearestRank(bad)).toThrow(RangeError);
    for (const bad of [0, 13, 2.5]) expect(() => new LogLinearHistogram(bad)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });
});
