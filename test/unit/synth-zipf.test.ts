import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import { fixed, ZipfSampler } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";

const N = 40_000;

/** P(rank g) = (g+1)^−s / Σ_h (h+1)^−s, computed directly. */
function zipfProbabilities(groups: number, s: number): number[] {
  const w = Array.from({ length: groups }, (_, g) => (g + 1) ** -s);
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

/** |count − n·p| within 5 binomial standard deviations. */
function expectNear(count: number, n: number, p: number): void {
  expect(Math.abs(count - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
}

describe("prefix groups are picked with Zipf popularity", () => {
  it("rank g is drawn with probability ∝ 1/(g+1) and ranks come out in popularity order", () => {
    const sampler = new ZipfSampler(8, 1, new Prng(99));
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < N; i++) {
      const g = sampler.sample();
      counts[g] = (counts[g] as number) + 1;
    }
    // H_8 = 2.7179: p = 0.368, 0.184, 0.123, 0.092, 0.074, 0.061, 0.053, 0.046.
    const p = zipfProbabilities(8, 1);
    expect(p[0]).toBeCloseTo(1 / 2.717857, 5);
    for (let g = 0; g < 8; g++) expectNear(counts[g] as number, N, p[g] as number);
    // Neighbouring ranks 0..4 differ by ≥ 0.018 · N = 736 draws, ≈ 9 sd of the difference: strictly ordered.
    for (let g = 0; g < 4; g++) expect(counts[g] as number).toBeGreaterThan(counts[g + 1] as number);
  });

  it("exponent 0 is uniform", () => {
    const sampler = new ZipfSampler(5, 0, new Prng(100));
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < N; i++) {
      const g = sampler.sample();
      counts[g] = (counts[g] as number) + 1;
    }
    for (let g = 0; g < 5; g++) expectNear(counts[g] as number, N, 0.2);
  });

  it("in a trace, group sizes (sessions sharing a first block) follow the Zipf shares", () => {
    const t = synthesizeTrace({
      requests: 20_000,
      prefixGroups: 6,
      prefixTokens: 1024,
      zipfExponent: 1.5,
      isl: fixed(100),
      osl: fixed(1),
      seed: 12,
    });
    const bySharedFirstBlock = new Map<number, number>();
    for (let r = 0; r < t.count; r++) {
      const first = t.hashIds[t.hashOffsets[r] as number] as number;
      bySharedFirstBlock.set(first, (bySharedFirstBlock.get(first) ?? 0) + 1);
    }
    const sizes = [...bySharedFirstBlock.values()].sort((a, b) => b - a);
    expect(sizes.length).toBe(6);
    const p = zipfProbabilities(6, 1.5);
    for (let g = 0; g < 6; g++) expectNear(sizes[g] as number, t.count, p[g] as number);
  });
});
