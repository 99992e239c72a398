import { describe, expect, it } from "vitest";
import { fixed, lognormal, uniform } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";

const N = 20_000;

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s / xs.length;
}

function sd(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ((xs[i] as number) - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

describe("prompt and output lengths follow their distributions", () => {
  it("lognormal:2048:1024 prompts have mean 2048 and sd 1024 within loose bounds", () => {
    const t = synthesizeTrace({ requests: N, isl: lognormal(2048, 1024), osl: fixed(1), seed: 5 });
    // sd of the mean = 1024/√20000 = 7.2 tokens → 5σ = ±36 (rounding to whole tokens shifts the mean < 0.5).
    expect(Math.abs(mean(t.inputTokens) - 2048)).toBeLessThan(36);
    // σ² = ln 1.25 gives excess kurtosis ≈ 5.9: relative sd of s ≈ ½√(7.9/20000) = 1 % → 5σ ≈ ±5 %, use ±8 %.
    expect(Math.abs(sd(t.inputTokens) / 1024 - 1)).toBeLessThan(0.08);
    // Skewed right like a lognormal: the median exp(μ) = 2048/√1.25 = 1832 sits below the mean; the sample
    // median's sd ≈ 1/(2·f(1832)·√n) with f(m) = 1/(m·σ·√(2π)) = 1/2168 → 7.7 tokens, 5σ ≈ 38.
    const sorted = Array.from(t.inputTokens).sort((a, b) => a - b);
    expect(Math.abs((sorted[N / 2] as number) - 1832)).toBeLessThan(40);
  });

  it("uniform:100:200 outputs stay in range with mean 150", () => {
    const t = synthesizeTrace({ requests: N, isl: fixed(5), osl: uniform(100, 200), seed: 6 });
    expect(Math.min(...t.outputTokens)).toBe(100);
    expect(Math.max(...t.outputTokens)).toBe(200);
    // Discrete uniform on 101 values: sd = √((101² − 1)/12) = 29.2 → sd of the mean 0.21 → 5σ = ±1.03.
    expect(Math.abs(mean(t.outputTokens) - 150)).toBeLessThan(1.03);
  });

  it("fixed lengths are exact and a lognormal MAX caps the tail", () => {
    const a = synthesizeTrace({ requests: 500, isl: fixed(777), osl: fixed(33), seed: 7 });
    expect(new Set(a.inputTokens)).toEqual(new Set([777]));
    expect(new Set(a.outputTokens)).toEqual(new Set([33]));
    const b = synthesizeTrace({ requests: 5000, isl: lognormal(1000, 3000, 4000), osl: fixed(1), seed: 7 });
    expect(Math.max(...b.inputTokens)).toBe(4000);
    expect(Math.min(...b.inputTokens)).toBeGreaterThanOrEqual(1);
  });

  it("hash_ids has ceil(input_length / block) entries", () => {
    const t = synthesizeTrace({ requests: 2000, isl: uniform(1, 3000), traceBlockSize: 256, seed: 8 });
    for (let r = 0; r < t.count; r++) {
      const n = (t.hashOffsets[r + 1] as number) - (t.hashOffsets[r] as number);
      expect(n).toBe(Math.ceil((t.inputTokens[r] as number) / 256));
    }
  });
});
