import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ExactMoments } from "../../src/sim/exact-moments.js";

// Oracle: values are dyadic x = m / 2^20 with integer m, so Σx = Σm / 2^20 and
// n·Σx² − (Σx)² = (n·Σm² − (Σm)²) / 2^40 are exact in BigInt. Number(bigint) rounds to nearest (ties to even)
// and dividing by a power of two is exact, so the oracle's doubles are the correctly rounded exact values.
const SCALE = 2 ** 20;

function oracle(numerators: readonly number[]): { sum: number; mean: number; std: number } {
  const n = BigInt(numerators.length);
  let s = 0n;
  let s2 = 0n;
  for (const m of numerators) {
    s += BigInt(m);
    s2 += BigInt(m) * BigInt(m);
  }
  const sum = Number(s) / SCALE;
  const scaledVariance = Number(n * s2 - s * s) / SCALE / SCALE;
  const count = numerators.length;
  return {
    sum,
    mean: count === 0 ? 0 : sum / count,
    std: count < 2 ? 0 : Math.sqrt(scaledVariance) / count,
  };
}

const numerator = fc.integer({ min: -(2 ** 52), max: 2 ** 52 });

describe("ExactMoments is exact and order-independent", () => {
  it("Σx, mean and population std equal the correctly rounded exact values, whatever the order", () => {
    fc.assert(
      fc.property(
        fc.array(numerator, { maxLength: 200 }),
        fc.integer({ min: 0, max: 1000 }),
        (ms, rotation) => {
          const expected = oracle(ms);
          const forward = new ExactMoments();
          for (const m of ms) forward.add(m / SCALE);
          // Same values, another order: rotated, then split across two accumulators and merged.
          const k = ms.length === 0 ? 0 : rotation % ms.length;
          const rotated = [...ms.slice(k), ...ms.slice(0, k)].reverse();
          const a = new ExactMoments();
          const b = new ExactMoments();
          rotated.forEach((m, i) => {
            (i % 2 === 0 ? a : b).add(m / SCALE);
          });
          b.merge(a);
          for (const m of [forward, b]) {
            expect(m.count).toBe(ms.length);
            expect(m.sum).toBe(expected.sum);
            expect(m.mean).toBe(expected.mean);
            expect(m.populationStd).toBe(expected.std);
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("keeps what naive summation loses: 1e16 + 1 − 1e16 = 1", () => {
    const m = new ExactMoments();
    for (const x of [1e16, 1, -1e16]) m.add(x);
    expect(m.sum).toBe(1);
  });

  it("has no cancellation in the std of values with a huge mean: std(1e9+1, 1e9+2, 1e9+3) = √6 / 3", () => {
    // Deviations −1, 0, 1 → variance 2/3. Exactly: n·Σx² − (Σx)² = 3·(3e18 + 12e9 + 14) − (3e9 + 6)² = 6, so
    // std = √6 / 3 (= √(2/3) up to rounding); the one-pass Σx²/n − mean² in doubles would lose every digit.
    const m = new ExactMoments();
    for (const x of [1e9 + 1, 1e9 + 2, 1e9 + 3]) m.add(x);
    expect(m.populationStd).toBe(Math.sqrt(6) / 3);
  });

  it("round-trips through its Float64Array transfer layout", () => {
    const m = new ExactMoments();
    for (const x of [0.1, 0.2, 0.3, 1e-3, 7]) m.add(x);
    const back = ExactMoments.fromFloat64Array(m.toFloat64Array());
    expect([back.count, back.min, back.max, back.sum, back.populationStd]).toEqual([
      m.count,
      m.min,
      m.max,
      m.sum,
      m.populationStd,
    ]);
  });

  it("refuses non-finite values", () => {
    expect(() => new ExactMoments().add(Number.NaN)).toThrow(RangeError);
    expect(() => new ExactMoments().add(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
