import type { Prng } from "../../../native-free-kernels/prng.js";
import { InputError } from "../../util/errors.js";

/**
 * Value distributions for synthetic workloads, written as compact CLI specs:
 *
 *   N                       fixed value N (shorthand for fixed:N)
 *   fixed:N                 always N
 *   uniform:LO:HI           integers LO..HI inclusive for counts; reals in [LO, HI) for times
 *   lognormal:MEAN:SD[:MAX] lognormal with this arithmetic mean and standard deviation; samples above MAX are
 *                           clamped to MAX (default: no cap)
 *
 * Lognormal parameters from the arithmetic moments: σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2, so that
 * E[X] = exp(μ + σ²/2) = mean and Var[X] = (exp(σ²) − 1)·exp(2μ + σ²) = sd².
 */
export type Distribution =
  | { readonly kind: "fixed"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "lognormal"; readonly mean: number; readonly sd: number; readonly max: number };

/**
 * What a distribution produces: whole counts ≥ `min` (token lengths, turns) or reals ≥ `min` (think times).
 * `max` bounds the parameters a spec may give (docs/limits.md); samples are only clamped below, at `min`.
 */
export interface ValueDomain {
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

/** Token lengths: a prompt is a uint32 column, and kvsim refuses prompts beyond 2^31 − 1 tokens. */
export const COUNT_DOMAIN: ValueDomain = { integer: true, min: 1, max: 2 ** 31 - 1 };
/** Turns per session (each turn's prompt holds every earlier one, so a few hundred is already a lot). */
export const TURN_DOMAIN: ValueDomain = { integer: true, min: 1, max: 100_000 };
/** Think times, ms (up to ~11.6 days). */
export const TIME_DOMAIN: ValueDomain = { integer: false, min: 0, max: 1e9 };

export function fixed(value: number): Distribution {
  return { kind: "fixed", value };
}

export function uniform(min: number, max: number): Distribution {
  return { kind: "uniform", min, max };
}

export function lognormal(mean: number, sd: number, max = Number.POSITIVE_INFINITY): Distribution {
  return { kind: "lognormal", mean, sd, max };
}

function specNumber(label: string, text: string, raw: string): number {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InputError(`${label}: "${raw}": "${text}" is not a finite number`);
  return value;
}

/** Parses a distribution spec (see the file comment) and validates it for `domain`; errors name `label`. */
export function parseDistribution(label: string, raw: string, domain: ValueDomain): Distribution {
  const parts = raw.trim().split(":");
  const head = (parts[0] ?? "").toLowerCase();
  const nums = (from: number): number[] => parts.slice(from).map((p) => specNumber(label, p, raw));
  let dist: Distribution;
  if (parts.length === 1) {
    dist = fixed(specNumber(label, head, raw));
  } else if (head === "fixed" && parts.length === 2) {
    dist = fixed(nums(1)[0] as number);
  } else if (head === "uniform" && parts.length === 3) {
    const [lo, hi] = nums(1) as [number, number];
    dist = uniform(lo, hi);
  } else if (head === "lognormal" && (parts.length === 3 || parts.length === 4)) {
    const v = nums(1);
    dist = lognormal(v[0] as number, v[1] as number, v[2] ?? Number.POSITIVE_INFINITY);
  } else {
    throw new InputError(
      `${label}: "${raw}" is not a distribution (use N, fixed:N, uniform:LO:HI or lognormal:MEAN:SD[:MAX])`,
    );
  }
  validateDistribution(label, dist, domain);
  return dist;
}

/** Throws a one-line InputError when `dist` cannot produce values in `domain`. */
export function validateDistribution(label: string, dist: Distribution, domain: ValueDomain): void {
  const what = domain.integer ? "an integer" : "a number";
  const check = (name: string, v: number): void => {
    if (!Number.isFinite(v)) throw new InputError(`${label}: ${name} must be a finite number, got ${v}`);
    if (domain.integer && !Number.isInteger(v))
      throw new InputError(`${label}: ${name} must be ${what}, got ${v}`);
    if (v < domain.min) throw new InputError(`${label}: ${name} must be >= ${domain.min}, got ${v}`);
    if (v > domain.max) throw new InputError(`${label}: ${name} must be <= ${domain.max}, got ${v}`);
  };
  switch (dist.kind) {
    case "fixed":
      check("value", dist.value);
      return;
    case "uniform":
      check("LO", dist.min);
      check("HI", dist.max);
      if (dist.max < dist.min) throw new InputError(`${label}: HI ${dist.max} is below LO ${dist.min}`);
      return;
    case "lognormal":
      if (!(Number.isFinite(dist.mean) && dist.mean > 0))
        throw new InputError(`${label}: lognormal MEAN must be a finite number > 0, got ${dist.mean}`);
      if (dist.mean > domain.max)
        throw new InputError(`${label}: lognormal MEAN must be <= ${domain.max}, got ${dist.mean}`);
      if (!(Number.isFinite(dist.sd) && dist.sd >= 0 && dist.sd <= domain.max))
        throw new InputError(
          `${label}: lognormal SD must be a finite number in [0, ${domain.max}], got ${dist.sd}`,
        );
      if (dist.max !== Number.POSITIVE_INFINITY) check("MAX", dist.max);
      return;
  }
}

/** The spec text that parses back to `dist`. */
export function formatDistribution(dist: Distribution): string {
  switch (dist.kind) {
    case "fixed":
      return `fixed:${dist.value}`;
    case "uniform":
      return `uniform:${dist.min}:${dist.max}`;
    case "lognormal":
      return dist.max === Number.POSITIVE_INFINITY
        ? `lognormal:${dist.mean}:${dist.sd}`
        : `lognormal:${dist.mean}:${dist.sd}:${dist.max}`;
  }
}

/** Uniform in (0, 1]: safe under a logarithm. */
export function nextOpenUnit(rng: Prng): number {
  return 1 - rng.nextFloat();
}

/** Standard normal by Box–Muller (cosine branch only, so each sample consumes a fixed number of draws). */
export function nextStandardNormal(rng: Prng): number {
  const u1 = nextOpenUnit(rng);
  const u2 = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Gamma(shape, scale 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; for
 * shape < 1 the boost Gamma(shape) = Gamma(shape + 1) · U^(1/shape).
 */
export function nextGamma(rng: Prng, shape: number): number {
  if (shape < 1) return nextGamma(rng, shape + 1) * nextOpenUnit(rng) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = nextStandardNormal(rng);
    let v = 1 + c * z;
    if (v <= 0) continue;
    v = v * v * v;
    const u = nextOpenUnit(rng);
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Draws from one distribution with its own random stream. */
export class DistributionSampler {
  private readonly dist: Distribution;
  private readonly domain: ValueDomain;
  private readonly rng: Prng;
  private readonly mu: number;
  private readonly sigma: number;

  constructor(dist: Distribution, domain: ValueDomain, rng: Prng) {
    this.dist = dist;
    this.domain = domain;
    this.rng = rng;
    if (dist.kind === "lognormal") {
      const sigma2 = Math.log(1 + (dist.sd * dist.sd) / (dist.mean * dist.mean));
      this.mu = Math.log(dist.mean) - sigma2 / 2;
      this.sigma = Math.sqrt(sigma2);
    } else {
      this.mu = 0;
      this.sigma = 0;
    }
  }

  sample(): number {
    const d = this.dist;
    switch (d.kind) {
      case "fixed":
        return d.value;
      case "uniform":
        if (this.domain.integer) return d.min + this.rng.nextBelow(d.max - d.min + 1);
        return d.min + (d.max - d.min) * this.rng.nextFloat();
      case "lognormal": {
        let x = Math.exp(this.mu + this.sigma * nextStandardNormal(this.rng));
        if (this.domain.integer) x = Math.round(x);
        return Math.min(Math.max(x, this.domain.min), d.max);
      }
    }
  }
}

/**
 * Zipf popularity over ranks 0..n−1: P(rank g) ∝ 1 / (g + 1)^exponent (exponent 0 = uniform). Sampled by
 * binary search over the cumulative weights.
 */
export class ZipfSampler {
  private readonly cumulative: Float64Array;
  private readonly rng: Prng;

  constructor(n: number, exponent: number, rng: Prng) {
    this.cumulative = new Float64Array(n);
    let total = 0;
    for (let g = 0; g < n; g++) {
      total += (g + 1) ** -exponent;
      this.cumulative[g] = total;
    }
    this.rng = rng;
  }

  sample(): number {
    const c = this.cumulative;
    const u = this.rng.nextFloat() * (c[c.length - 1] as number);
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
