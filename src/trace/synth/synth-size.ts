import type { Distribution } from "./distributions.js";
import type { RateProfile } from "./rate-profile.js";
import type { SynthSpec } from "./synth-spec.js";

/**
 * The expected size of a synthetic workload, from its spec alone (before anything is generated): rows and hash
 * ids, for the row cap and the memory estimate (docs/limits.md).
 *
 *   sessions   --requests: rows / E[T]; --duration D: ∫₀ᴰ λ(t) dt (the profile, its last rate held)
 *   rows       --requests: as given; --duration: sessions · E[T]
 *   hash ids   per session Σ_{k=1..T} ⌈prompt_k / block⌉ with prompt_k = prefix + k·E[isl] + (k−1)·E[osl], so
 *              E = (E[T]·prefix + E[isl]·E[T(T+1)]/2 + E[osl]·E[T(T−1)]/2) / block + E[T] (the ceilings)
 *
 * Lognormal moments ignore the MAX cap (an over-estimate, which is the safe side).
 */
export interface SynthSize {
  readonly rows: number;
  readonly hashIds: number;
}

/** E[X] and E[X²] of a distribution. */
function moments(d: Distribution): { mean: number; meanSquare: number } {
  switch (d.kind) {
    case "fixed":
      return { mean: d.value, meanSquare: d.value * d.value };
    case "uniform": {
      const mean = (d.min + d.max) / 2;
      const span = d.max - d.min + 1;
      return { mean, meanSquare: mean * mean + (span * span - 1) / 12 };
    }
    case "lognormal":
      return { mean: d.mean, meanSquare: d.mean * d.mean + d.sd * d.sd };
  }
}

/** ∫₀ᴰ λ(t) dt of a piecewise-linear profile whose last rate holds after its last point. */
export function expectedArrivals(profile: RateProfile, durationS: number): number {
  let total = 0;
  for (let i = 0; i < profile.length; i++) {
    const p = profile[i];
    if (p === undefined || p.timeS >= durationS) break;
    const next = profile[i + 1];
    if (next === undefined) {
      total += p.ratePerS * (durationS - p.timeS);
      break;
    }
    const end = Math.min(next.timeS, durationS);
    const rateAtEnd = p.ratePerS + ((next.ratePerS - p.ratePerS) * (end - p.timeS)) / (next.timeS - p.timeS);
    total += ((p.ratePerS + rateAtEnd) / 2) * (end - p.timeS);
  }
  return total;
}

export function expectedSynthSize(spec: SynthSpec): SynthSize {
  const turns = moments(spec.turns);
  const isl = moments(spec.isl).mean;
  const osl = moments(spec.osl).mean;
  const sessions =
    spec.requests !== null
      ? spec.requests / turns.mean
      : expectedArrivals(spec.rateProfile, spec.durationS ?? 0);
  const rows = spec.requests ?? sessions * turns.mean;
  const prefix = spec.prefixGroups > 0 ? spec.prefixTokens : 0;
  const tokensPerSession =
    turns.mean * prefix +
    (isl * (turns.meanSquare + turns.mean)) / 2 +
    (osl * (turns.meanSquare - turns.mean)) / 2;
  const idsPerSession = tokensPerSession / spec.traceBlockSize + turns.mean;
  return { rows, hashIds: sessions * idsPerSession };
}
