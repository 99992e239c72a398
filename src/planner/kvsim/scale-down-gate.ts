// kvsim's hysteresis: a pool scales up as soon as it would miss the SLA itself (the trigger size), and then to
// the comfortable size (the SLA × headroom), so one step covers the surge; it comes down only after the
// comfortable size has stayed below it for `cooldownS` (and `cooldownS` after the last scale-up), and then only to
// the largest comfortable size seen meanwhile — a dip between two bursts does not release workers the next burst
// needs (no 2 ↔ 1 flapping). Between the two sizes nothing moves.

export type GateReason = "scale_up" | "scale_down" | "hold_cooldown" | "no_change";

export interface GateDecision {
  readonly target: number;
  readonly reason: GateReason;
}

export class ScaleDownGate {
  private readonly cooldownS: number;
  private lastUpS = Number.NEGATIVE_INFINITY;
  private lowSinceS: number | null = null;
  private highestWhileLow = 0;

  constructor(cooldownS: number) {
    this.cooldownS = cooldownS;
  }

  /**
   * The target for a pool of `current` replicas (as ordered) at `nowS`: `trigger` replicas meet the SLA itself,
   * `comfort` (≥ trigger) meet it with headroom.
   */
  decide(nowS: number, current: number, trigger: number, comfort: number): GateDecision {
    const required = Math.max(trigger, comfort);
    if (trigger > current) {
      this.lastUpS = nowS;
      this.lowSinceS = null;
      return { target: required, reason: "scale_up" };
    }
    if (required >= current) {
      this.lowSinceS = null;
      return { target: current, reason: "no_change" };
    }
    if (this.lowSinceS === null) {
      this.lowSinceS = nowS;
      this.highestWhileLow = required;
    } else if (required > this.highestWhileLow) this.highestWhileLow = required;
    const heldS = nowS - this.lowSinceS;
    if (heldS < this.cooldownS || nowS - this.lastUpS < this.cooldownS) {
      return { target: current, reason: "hold_cooldown" };
    }
    const target = this.highestWhileLow;
    this.lowSinceS = null;
    return { target, reason: "scale_down" };
  }
}
