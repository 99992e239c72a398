import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogLinearHistogram } from "../../native-free-kernels/histogram.js";

const valueArb = fc.oneof(
  { arbitrary: fc.double({ min: -12, max: 17, noNaN: true }).map((e) => 10 ** e), weight: 8 }, // also out of range
  { arbitrary: fc.constant(0), weight: 1 },
);
const SUM = 5; // index of `sum` in the transfer layout | FORMAT | b | count | min | max | sum | counts… |

function recordAll(values: readonly number[], bits: number): LogLinearHistogram {
  const h = new LogLinearHistogram(bits);
  for (const v of values) h.record(v);
  return h;
}

describe("LogLinearHistogram merge equals recording the union; export/import round-trips", () => {
  it("merging shard histograms gives the same buckets, count, min, max and quantiles as one histogram", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(valueArb, { maxLength: 80 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(2, 7),
        (shards, bits) => {
          const merged = new LogLinearHistogram(bits);
          for (const shard of shards) merged.merge(recordAll(shard, bits));
          const union = recordAll(shards.flat(), bits);
          const a = merged.toFloat64Array();
          const b = union.toFloat64Array();
          // Everything but the floating-point sum is identical; the sum differs only by addition order.
          expect(Math.abs((a[SUM] as number) - (b[SUM] as number))).toBeLessThanOrEqual(
            (b[SUM] as number) * 1e-12,
          );
          a[SUM] = 0;
          b[SUM] = 0;
          expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true); // byte-identical otherwise
          for (const p of [0, 10, 50, 90, 99, 100]) {
            expect(merged.quantileNearestRank(p)).toBe(union.quantileNearestRank(p));
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it("fromFloat64Array(toFloat64Array()) reproduces every field and quantile, also across a structured clone", () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 200 }), fc.constantFrom(1, 7, 10), (values, bits) => {
        const h = recordAll(values, bits);
        const exported = h.toFloat64Array();
        expect(exported.length).toBe(LogLinearHistogram.exportLength(bits));
        const copy = LogLinearHistogram.fromFloat64Array(structuredClone(exported));
        // Byte-for-byte identical export (compared as bytes: deep equality over 80 k doubles is slow).
        const bytes = (d: Float64Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
        expect(bytes(copy.toFloat64Array()).equals(bytes(exported))).toBe(true);
        for (const field of ["count", "min", "max", "sum", "mean", "subBucketBits"] as const) {
          expect(copy[field]).toBe(h[field]);
        }
        for (const p of [0, 33.3, 50, 99.5, 100])
          expect(copy.quantileNearestRank(p)).toBe(h.quantileNearestRank(p));
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("rejects exports whose layout or invariants are broken, and merges across different subBucketBits", () => {
    const h = recordAll([1, 2, 3], 7);
    const good = h.toFloat64Array();
    const broken = (edit: (d: Float64Array) => void) => {
      const d = good.slice();
      edit(d);
      return () => LogLinearHistogram.fromFloat64Array(d);
    };
    expect(broken(() => {})).not.toThrow();
    expect(broken((d) => (d[0] = 2))).toThrow(RangeError); // unknown format
    expect(broken((d) => (d[1] = 8))).toThrow(RangeError); // length no longer matches b
    expect(broken((d) => (d[2] = 4))).toThrow(RangeError); // count ≠ Σ buckets
    expect(broken((d) => (d[3] = 5))).toThrow(RangeError); // min > max
    expect(broken((d) => (d[7] = -1))).toThrow(RangeError); // negative bucket
    expect(() => LogLinearHistogram.fromFloat64Array(good.subarray(0, 100))).toThrow(RangeError);
    expect(() => h.merge(new LogLinearHistogram(8))).toThrow(RangeError);
  });
});
