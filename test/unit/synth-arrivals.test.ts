import { describe, expect, it } from "vitest";
import { fixed } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { constantRate, parseRateProfile } from "../../src/trace/synth/rate-profile.js";
import { resolveSynthSpec, type SynthSpec } from "../../src/trace/synth/synth-spec.js";

// Single-turn requests with small fixed lengths: the rows are exactly the arrival process's points.
const PLAIN: Partial<SynthSpec> = { isl: fixed(10), osl: fixed(1), seed: 2024 };

/** Gaps between consecutive arrivals, counting the first one from t = 0 (ms). */
function gapsMs(arrivalMs: Float64Array): number[] {
  const gaps: number[] = [];
  let prev = 0;
  for (const t of arrivalMs) {
    gaps.push(t - prev);
    prev = t;
  }
  return gaps;
}

function meanAndCv(xs: number[]): { mean: number; cv: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, cv: Math.sqrt(variance) / mean };
}

function countIn(arrivalMs: Float64Array, fromS: number, toS: number): number {
  let n = 0;
  for (const t of arrivalMs) if (t >= fromS * 1000 && t < toS * 1000) n++;
  return n;
}

describe("arrival processes have the configured rate and burstiness", () => {
  it("poisson at 5 req/s: mean gap 200 ms within 5σ and gap cv ≈ 1", () => {
    const t = synthesizeTrace({
      ...PLAIN,
      requests: 20_000,
      rateProfile: constantRate(5),
      arrival: "poisson",
    });
    const { mean, cv } = meanAndCv(gapsMs(t.arrivalMs));
    // Exp(mean 200 ms): sd of the mean of 20000 gaps = 200/√20000 = 1.41 ms → 5σ = ±7.1 ms.
    expect(mean).toBeGreaterThan(200 - 7.1);
    expect(mean).toBeLessThan(200 + 7.1);
    // Var(s²) ≈ σ⁴(2 + excess kurtosis 6)/n → relative sd of s ≈ ½√(8/20000) = 1 % → 5σ = ±0.05.
    expect(cv).toBeGreaterThan(0.95);
    expect(cv).toBeLessThan(1.05);
  });

  it("gamma with cv 3 at 5 req/s: mean gap 200 ms and gap cv 3 within 5σ", () => {
    const t = synthesizeTrace({
      ...PLAIN,
      requests: 20_000,
      rateProfile: constantRate(5),
      arrival: "gamma",
      burstinessCv: 3,
    });
    const { mean, cv } = meanAndCv(gapsMs(t.arrivalMs));
    // sd of the mean = 3·200/√20000 = 4.24 ms → 5σ = ±21.2 ms.
    expect(mean).toBeGreaterThan(200 - 21.2);
    expect(mean).toBeLessThan(200 + 21.2);
    // shape k = 1/9, excess kurtosis 6/k = 54: relative sd of s ≈ ½√(56/20000) = 2.6 % → 5σ = ±0.4.
    expect(cv).toBeGreaterThan(2.6);
    expect(cv).toBeLessThan(3.4);
  });

  it("gamma with cv 0.5 is smoother than poisson", () => {
    const t = synthesizeTrace({
      ...PLAIN,
      requests: 20_000,
      rateProfile: constantRate(5),
      arrival: "gamma",
      burstinessCv: 0.5,
    });
    const { cv } = meanAndCv(gapsMs(t.arrivalMs));
    // k = 4, excess kurtosis 1.5: relative sd of s ≈ ½√(3.5/20000) = 0.66 % → 5σ on cv = ±0.017.
    expect(cv).toBeGreaterThan(0.48);
    expect(cv).toBeLessThan(0.52);
  });

  it("constant at 4 req/s: the first request at 0, then exactly every 250 ms", () => {
    const t = synthesizeTrace({ ...PLAIN, requests: 9, rateProfile: constantRate(4), arrival: "constant" });
    expect(Array.from(t.arrivalMs)).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
  });

  it('a rising-then-falling profile "0:2,600:12,1200:2" puts Λ(window) arrivals in each window', () => {
    const t = synthesizeTrace({
      ...PLAIN,
      durationS: 1200,
      rateProfile: parseRateProfile("--rate-profile", "0:2,600:12,1200:2"),
    });
    // Λ(0,1200) = 2 · ½(2 + 12) · 600 = 8400; Poisson sd √8400 = 91.7 → 5σ = ±458.
    expect(Math.abs(t.count - 8400)).toBeLessThan(458);
    expect(t.arrivalMs[t.count - 1] as number).toBeLessThan(1_200_000);
    // λ(t) = 2 + t/60 on [0, 600]: Λ(0,60) = 120 + 60²/120 = 150, sd 12.2 → ±61.
    expect(Math.abs(countIn(t.arrivalMs, 0, 60) - 150)).toBeLessThan(61);
    // Around the peak: Λ(540,660) = (120 + (600² − 540²)/120) + (720 − 60²/120) = 690 + 690 = 1380 → ±186.
    expect(Math.abs(countIn(t.arrivalMs, 540, 660) - 1380)).toBeLessThan(186);
    // The falling half mirrors the rising half: Λ(1140,1200) = 150.
    expect(Math.abs(countIn(t.arrivalMs, 1140, 1200) - 150)).toBeLessThan(61);
  });

  it("gamma arrivals follow the same profile through time rescaling", () => {
    const t = synthesizeTrace({
      ...PLAIN,
      durationS: 1200,
      rateProfile: parseRateProfile("--rate-profile", "0:2,600:12,1200:2"),
      arrival: "gamma",
      burstinessCv: 2,
    });
    // A renewal count's variance ≈ cv² · Λ: sd = 2 · 91.7 = 183 → 5σ = ±917.
    expect(Math.abs(t.count - 8400)).toBeLessThan(917);
    // The peak window carries far more than a quiet window of the same width (1380 vs ≈ 2·150 expected).
    expect(countIn(t.arrivalMs, 540, 660)).toBeGreaterThan(3 * countIn(t.arrivalMs, 0, 120));
  });

  it("a multi-point profile without --requests or --duration runs to its last point", () => {
    const spec = resolveSynthSpec({ rateProfile: parseRateProfile("p", "0:2,600:12,1200:2") });
    expect(spec.durationS).toBe(1200);
    expect(spec.requests).toBeNull();
    expect(resolveSynthSpec({}).requests).toBe(1000);
  });

  it("--duration keeps exactly the sessions that start before it", () => {
    const t = synthesizeTrace({ ...PLAIN, durationS: 10, rateProfile: constantRate(4), arrival: "constant" });
    // 0, 250, …, 9750 ms: 40 arrivals in [0, 10 s).
    expect(t.count).toBe(40);
  });
});
