import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";

describe("Prng.nextBelow is in range and unbiased; nextFloat is in [0, 1)", () => {
  it("nextBelow(n) is an integer in [0, n) for every 1 ≤ n ≤ 2^32", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const prng = new Prng(seed);
        for (let i = 0; i < 50; i++) {
          const x = prng.nextBelow(n);
          if (!(Number.isInteger(x) && x >= 0 && x < n)) expect.fail(`nextBelow(${n}) gave ${x}`);
        }
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("nextBelow(1) is always 0 and nextBelow(2^32) returns raw draws", () => {
    const a = new Prng(9);
    const b = new Prng(9);
    for (let i = 0; i < 100; i++) {
      expect(a.nextBelow(1)).toBe(0);
    }
    const c = new Prng(9);
    for (let i = 0; i < 100; i++) expect(c.nextBelow(2 ** 32)).toBe(b.nextUint32());
  });

  it("has no modulo bias where plain `draw % n` would be biased 2:1", () => {
    // n = 3·2^30: 2^32 = n + 2^30, so `draw % n` would hit [0, 2^30) with probability 2^31/2^32 = 1/2 instead of
    // the uniform 2^30/n = 1/3. Over 30000 draws the standard deviation of the fraction is sqrt(1/3·2/3/30000)
    // ≈ 0.0027, so a 0.02 band around 1/3 separates the two clearly.
    const n = 3 * 2 ** 30;
    const prng = new Prng(2024);
    let low = 0;
    const draws = 30000;
    for (let i = 0; i < draws; i++) if (prng.nextBelow(n) < 2 ** 30) low++;
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.02);
  });

  it("passes a chi-square test of uniformity for small n", () => {
    // 60000 draws into n cells; the 0.1 % critical values of chi-square with n−1 degrees of freedom
    // (standard tables): df 2 → 13.82, df 4 → 18.47, df 6 → 22.46, df 9 → 27.88.
    const critical: Record<number, number> = { 3: 13.82, 5: 18.47, 7: 22.46, 10: 27.88 };
    for (const [nText, limit] of Object.entries(critical)) {
      const n = Number(nText);
      const prng = new Prng(n * 1000 + 1);
      const cells = new Float64Array(n);
      const draws = 60000;
      for (let i = 0; i < draws; i++) {
        const cell = prng.nextBelow(n);
        cells[cell] = (cells[cell] as number) + 1;
      }
      const expected = draws / n;
      let chi2 = 0;
      for (const c of cells) chi2 += (c - expected) ** 2 / expected;
      expect(chi2).toBeLessThan(limit);
    }
  });

  it("nextFloat is in [0, 1) with mean ≈ 1/2", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const prng = new Prng(seed);
        let sum = 0;
        let outside = 0;
        for (let i = 0; i < 2000; i++) {
          const x = prng.nextFloat();
          if (!(x >= 0 && x < 1)) outside++;
          sum += x;
        }
        expect(outside).toBe(0);
        // standard deviation of the mean of 2000 uniforms: sqrt(1/12/2000) ≈ 0.0065
        expect(Math.abs(sum / 2000 - 0.5)).toBeLessThan(0.03);
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it("rejects n outside [1, 2^32] and non-integers", () => {
    const prng = new Prng(1);
    for (const bad of [0, -1, 1.5, 2 ** 32 + 1, Number.NaN])
      expect(() => prng.nextBelow(bad)).toThrow(RangeError);
  });
});
