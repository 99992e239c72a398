import type { Prng } from "../../../native-free-kernels/prng.js";
import { nextGamma, nextOpenUnit } from "./distributions.js";
import { type RateProfile, TimeRescaler } from "./rate-profile.js";

export const ARRIVAL_KINDS = ["poisson", "gamma", "constant"] as const;
export type ArrivalKind = (typeof ARRIVAL_KINDS)[number];

/**
 * Session start times. Operational time τ advances by unit-mean gaps — Exp(1) for poisson, Gamma(k, 1/k) with
 * k = 1/cv² for gamma (so the gap's coefficient of variation is cv; cv = 1 is Poisson), exactly 1 for constant —
 * and the wall time is Λ⁻¹(τ) under the rate profile (see TimeRescaler). With a constant rate r this is the
 * plain renewal process with mean gap 1/r. Constant arrivals start at τ = 0 (the first session at t = 0, like
 * the replay's ConstantQps); the random processes start at τ = first gap.
 */
export class ArrivalProcess {
  private readonly kind: ArrivalKind;
  private readonly gammaShape: number;
  private readonly rng: Prng;
  private readonly rescaler: TimeRescaler;
  private tau: number;
  private started: boolean;

  constructor(kind: ArrivalKind, burstinessCv: number, profile: RateProfile, rng: Prng) {
    this.kind = kind;
    this.gammaShape = 1 / (burstinessCv * burstinessCv);
    this.rng = rng;
    this.rescaler = new TimeRescaler(profile);
    this.tau = 0;
    this.started = false;
  }

  /** The next arrival in milliseconds (unrounded), or +Infinity once the profile can produce no more. */
  nextMs(): number {
    if (this.kind === "constant") {
      if (this.started) this.tau += 1;
    } else if (this.kind === "poisson") {
      this.tau += -Math.log(nextOpenUnit(this.rng));
    } else {
      this.tau += nextGamma(this.rng, this.gammaShape) / this.gammaShape;
    }
    this.started = true;
    return this.rescaler.timeAtS(this.tau) * 1000;
  }
}
