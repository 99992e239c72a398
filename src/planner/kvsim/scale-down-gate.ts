// kvsim's brake on scale-down: capacity goes up at once, but comes down only after the lower target has held
// for `cooldownS` (and `cooldownS` after the last scale-up), and then only to the highest target seen while
// waiting — so a dip between two bursts does not release workers the next burst needs (no 2 ↔ 1 flapping).

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

  /** The target for a pool of `current` replicas (as ordered) whose sizing asks for `required` at `nowS`. */
  decide(nowS: number, current: number, required: number): GateDecision {
    if (required > current) {
      this.lastUpS = nowS;
      this.lowSinceS = null;
      return { target: required, reason: "scale_up" };
    }
    if (required === current) {
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
