import { InputError } from "../../util/errors.js";

/**
 * A request-rate profile λ(t): points (timeS, ratePerS), linear between points, the last rate held forever.
 * The first point is at t = 0; times strictly increase; rates are finite and ≥ 0, at least one > 0.
 * CLI form: "0:2,600:12,1200:2" (seconds:req/s, comma-separated). A single point is a constant rate.
 */
export interface RatePoint {
  readonly timeS: number;
  readonly ratePerS: number;
}

export type RateProfile = readonly RatePoint[];

export function constantRate(ratePerS: number): RateProfile {
  return [{ timeS: 0, ratePerS }];
}

export function parseRateProfile(label: string, raw: string): RateProfile {
  const points: RatePoint[] = [];
  for (const item of raw.split(",")) {
    const pair = item.trim().split(":");
    const timeS = pair.length === 2 && (pair[0] as string).trim() !== "" ? Number(pair[0]) : Number.NaN;
    const ratePerS = pair.length === 2 && (pair[1] as string).trim() !== "" ? Number(pair[1]) : Number.NaN;
    if (!Number.isFinite(timeS) || !Number.isFinite(ratePerS)) {
      throw new InputError(`${label}: "${item.trim()}" is not SECONDS:RATE (e.g. "0:2,600:12,1200:2")`);
    }
    points.push({ timeS, ratePerS });
  }
  validateRateProfile(label, points);
  return points;
}

/** Largest rate (sessions per second) and point time (seconds) a profile may give (docs/limits.md). */
export const MAX_SYNTH_RATE = 1e6;
export const MAX_SYNTH_TIME_S = 1e9;

export function validateRateProfile(label: string, profile: RateProfile): void {
  if (profile.length === 0) throw new InputError(`${label}: needs at least one SECONDS:RATE point`);
  let anyPositive = false;
  for (let i = 0; i < profile.length; i++) {
    const p = profile[i] as RatePoint;
    if (!Number.isFinite(p.timeS) || !Number.isFinite(p.ratePerS))
      throw new InputError(`${label}: point ${i + 1} is not finite`);
    if (i === 0 && p.timeS !== 0)
      throw new InputError(`${label}: the first point must be at time 0, got ${p.timeS}`);
    if (i > 0 && !(p.timeS > (profile[i - 1] as RatePoint).timeS))
      throw new InputError(`${label}: times must strictly increase (point ${i + 1} at ${p.timeS} s)`);
    if (p.ratePerS < 0) throw new InputError(`${label}: rate must be >= 0 req/s, got ${p.ratePerS}`);
    if (p.ratePerS > MAX_SYNTH_RATE)
      throw new InputError(`${label}: rate must be <= ${MAX_SYNTH_RATE} req/s, got ${p.ratePerS}`);
    if (p.timeS > MAX_SYNTH_TIME_S)
      throw new InputError(`${label}: times must be <= ${MAX_SYNTH_TIME_S} s, got ${p.timeS}`);
    if (p.ratePerS > 0) anyPositive = true;
  }
  if (!anyPositive) throw new InputError(`${label}: every rate is 0, so no request would ever arrive`);
}

export function formatRateProfile(profile: RateProfile): string {
  return profile.map((p) => `${p.timeS}:${p.ratePerS}`).join(",");
}

/**
 * Time rescaling: maps operational time τ (expected arrivals so far) to wall time t with Λ(t) = τ, where
 * Λ(t) = ∫₀ᵗ λ(s) ds. A unit-rate Poisson process mapped through Λ⁻¹ is the inhomogeneous Poisson process of
 * rate λ (Çinlar's time-change theorem); a unit-mean gamma renewal process becomes one whose local rate is λ(t)
 * with the same burstiness.
 *
 * Queries must come with non-decreasing τ: the walker keeps its segment and the mass Λ at the segment start.
 * Inside segment [a, b] with start rate r and slope m, Λ(a + x) − Λ(a) = r·x + m·x²/2, solved for x as
 * x = 2d / (r + √(r² + 2md)) — the cancellation-free root, valid for m = 0 and r = 0 alike.
 */
export class TimeRescaler {
  private readonly startS: Float64Array;
  private readonly rate: Float64Array;
  private readonly slope: Float64Array;
  private readonly mass: Float64Array;
  private segment: number;
  private massBefore: number;

  constructor(profile: RateProfile) {
    const n = profile.length;
    this.startS = new Float64Array(n);
    this.rate = new Float64Array(n);
    this.slope = new Float64Array(n);
    this.mass = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = profile[i] as RatePoint;
      this.startS[i] = p.timeS;
      this.rate[i] = p.ratePerS;
      const next = profile[i + 1];
      if (next === undefined) {
        this.mass[i] = p.ratePerS > 0 ? Number.POSITIVE_INFINITY : 0;
      } else {
        const len = next.timeS - p.timeS;
        this.slope[i] = (next.ratePerS - p.ratePerS) / len;
        this.mass[i] = ((p.ratePerS + next.ratePerS) / 2) * len;
      }
    }
    this.segment = 0;
    this.massBefore = 0;
  }

  /** Seconds t with Λ(t) = tau, or +Infinity when the profile's total mass is below tau. */
  timeAtS(tau: number): number {
    const last = this.mass.length - 1;
    while (
      this.segment < last &&
      (tau > this.massBefore + (this.mass[this.segment] as number) || this.mass[this.segment] === 0)
    ) {
      this.massBefore += this.mass[this.segment] as number;
      this.segment++;
    }
    const seg = this.segment;
    const r = this.rate[seg] as number;
    const m = this.slope[seg] as number;
    const d = tau - this.massBefore;
    if (d <= 0) return this.startS[seg] as number;
    if (seg === last && r === 0) return Number.POSITIVE_INFINITY;
    let x = (2 * d) / (r + Math.sqrt(Math.max(0, r * r + 2 * m * d)));
    if (seg < last) x = Math.min(x, (this.startS[seg + 1] as number) - (this.startS[seg] as number));
    return (this.startS[seg] as number) + x;
  }
}
