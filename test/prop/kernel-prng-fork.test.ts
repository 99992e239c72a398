import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";

function draws(prng: Prng, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(prng.nextUint32());
  return out;
}

/** Pearson correlation of two equally long samples. */
function correlation(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const seedArb = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const idArb = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger());

describe("Prng.fork gives deterministic, independent sub-streams", () => {
  it("same seed → same stream; fork(id) from the same parent state → same child, parent not advanced", () => {
    fc.assert(
      fc.property(seedArb, idArb, fc.nat(20), (seed, id, skip) => {
        const a = new Prng(seed);
        const b = new Prng(seed);
        draws(a, skip);
        draws(b, skip);
        const before = a.getState();
        const childA = a.fork(id);
        expect(a.getState()).toEqual(before);
        expect(draws(childA, 16)).toEqual(draws(b.fork(id), 16));
        expect(draws(a, 8)).toEqual(draws(b, 8));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("distinct stream ids, and the parent, give different streams", () => {
    fc.assert(
      fc.property(seedArb, idArb, idArb, (seed, id1, id2) => {
        fc.pre(id1 !== id2);
        const parent = new Prng(seed);
        const c1 = draws(parent.fork(id1), 8);
        const c2 = draws(parent.fork(id2), 8);
        const p = draws(new Prng(seed), 8);
        expect(c1).not.toEqual(c2);
        expect(c1).not.toEqual(p);
        expect(c2).not.toEqual(p);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("sibling streams and the parent are uncorrelated: N·r² averages ≈ 1 over 300 stream pairs", () => {
    // For independent uniform samples of length N, r·sqrt(N) is ≈ standard normal, so N·r² has mean 1 and the
    // mean of 300 such values has standard deviation sqrt(2/300) ≈ 0.082; correlated forks would inflate it.
    // Consecutive stream ids are the hardest case for a weak derivation (they differ in one or two bits).
    const N = 2000;
    const floats = (p: Prng) => Array.from({ length: N }, () => p.nextFloat());
    let siblings = 0;
    let withParent = 0;
    const pairs = 300;
    for (let id = 0; id < pairs; id++) {
      const parent = new Prng(id * 7919);
      const a = floats(parent.fork(id));
      const b = floats(parent.fork(id + 1));
      const p = floats(parent);
      siblings += N * correlation(a, b) ** 2;
      withParent += N * correlation(a, p) ** 2;
    }
    expect(Math.abs(siblings / pairs - 1)).toBeLessThan(0.35);
    expect(Math.abs(withParent / pairs - 1)).toBeLessThan(0.35);
  });

  it("sibling streams do not overlap: 100 forks × 1000 draws repeat a 32-bit value about as often as chance", () => {
    // 10^5 draws from 2^32 values collide in about C(10^5, 2) / 2^32 ≈ 1.16 pairs by chance; streams that were
    // shifted copies of each other would repeat hundreds of values.
    const parent = new Prng(12345);
    const seen = new Set<number>();
    let repeats = 0;
    for (let id = 0; id < 100; id++) {
      const child = parent.fork(id);
      for (let i = 0; i < 1000; i++) {
        const x = child.nextUint32();
        if (seen.has(x)) repeats++;
        seen.add(x);
      }
    }
    expect(repeats).toBeLessThanOrEqual(8);
  });

  it("different seeds give different streams, and -0 seeds like 0", () => {
    expect(draws(new Prng(-0), 4)).toEqual(draws(new Prng(0), 4));
    fc.assert(
      fc.property(seedArb, seedArb, (s1, s2) => {
        fc.pre(!Object.is(s1 === 0 ? 0 : s1, s2 === 0 ? 0 : s2));
        expect(draws(new Prng(s1), 4)).not.toEqual(draws(new Prng(s2), 4));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("rejects non-finite seeds and stream ids", () => {
    expect(() => new Prng(Number.NaN)).toThrow(RangeError);
    expect(() => new Prng(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => new Prng(1).fork(Number.NaN)).toThrow(RangeError);
  });
});
