import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogLinearHistogram } from "../../native-free-kernels/histogram.js";

/** Oracle: exact nearest rank on a sorted copy, index round((n−1)·p/100) with halves rounded up. */
function exactNearestRank(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const x = ((sorted.length - 1) * percent) / 100;
  const floor = Math.floor(x);
  const index = x - floor >= 0.5 ? floor + 1 : floor; // halves away from zero (x ≥ 0)
  return sorted[index] as number;
}

// Values spread log-uniformly over the documented range 1e−9 .. 1e15, with exact zeros and repeats mixed in.
const valueArb = fc.oneof(
  { arbitrary: fc.double({ min: -9, max: 15, noNaN: true }).map((e) => 10 ** e), weight: 8 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.constantFrom(1, 1e-9, 1e15, 0.001, 250, 2 ** 20), weight: 1 },
);
const percentArb = fc.oneof(
  fc.constantFrom(0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100),
  fc.double({ min: 0, max: 100, noNaN: true }),
);

describe("LogLinearHistogram quantiles stay within 2^−subBucketBits of the exact nearest rank", () => {
  it("matches the sorted-array nearest rank within the relative error bound; count, min and max are exact", () => {
    fc.assert(
      fc.property(
        fc.array(valueArb, { minLength: 1, maxLength: 300 }),
        fc.constantFrom(1, 3, 7, 10),
        fc.array(percentArb, { minLength: 1, maxLength: 8 }),
        (values, bits, percents) => {
          const h = new LogLinearHistogram(bits);
          for (const v of values) h.record(v);
          expect(h.count).toBe(values.length);
          expect(h.min).toBe(Math.min(...values));
          expect(h.max).toBe(Math.max(...values));
          const exactSum = values.reduce((a, b) => a + b, 0);
          expect(Math.abs(h.sum - exactSum)).toBeLessThanOrEqual(exactSum * 1e-12);
          for (const p of percents) {
            const exact = exactNearestRank(values, p);
            const q = h.quantileNearestRank(p);
            expect(q).toBeGreaterThanOrEqual(h.min);
            expect(q).toBeLessThanOrEqual(h.max);
            expect(Math.abs(q - exact)).toBeLessThanOrEqual(exact * 2 ** -bits);
          }
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it("records with a count like recording the value that many times", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(valueArb, fc.nat(5)), { maxLength: 60 }), percentArb, (pairs, p) => {
        const weighted = new LogLinearHistogram(7);
        const repeated = new LogLinearHistogram(7);
        for (const [v, c] of pairs) {
          weighted.record(v, c);
          for (let i = 0; i < c; i++) repeated.record(v);
        }
        expect(weighted.count).toBe(repeated.count);
        expect(weighted.quantileNearestRank(p)).toBe(repeated.quantileNearestRank(p));
        // identical layout except the floating-point sum (index 5), compared as bytes for speed
        const a = weighted.toFloat64Array();
        const b = repeated.toFloat64Array();
        expect(Math.abs((a[5] as number) - (b[5] as number))).toBeLessThanOrEqual((b[5] as number) * 1e-12);
        a[5] = 0;
        b[5] = 0;
        expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
