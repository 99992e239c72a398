// kvsim's hysteresis: a pool scales up as soon as it would miss the SLA itself (the trigger size), and then to
// the comfortable size (the SLA × headroom), so one step covers the surge; it comes down only after the
// comfortable size has stayed below it for `cooldownS` (and `cooldownS` after the last scale-up), and then only to
// the largest comfortable size seen meanwhile — a dip between two bursts does not release workers the next burst
// needs (no 2 ↔ 1 flapping). Between the two sizes nothing moves. Capacity the policy did not order for sustained
// demand — bought to drain a backlog, or the cluster it started with — is transient: it comes down after a short
// hold (at most TRANSIENT_HOLD_S) instead of the full cooldown, once the lower size has held that long. While the
// arrival rate is still falling (beyond noise) the pool waits and comes down in one step once it settles.

/** How long transient capacity (a backlog's, or the initial cluster's) is held before it may come down, s. */
export const TRANSIENT_HOLD_S = 30;

export type GateReason = "scale_up" | "scale_down" | "hold_cooldown" | "hold_falling" | "no_change";

export interface GateDecision {
  readonly target: number;
  readonly reason: GateReason;
}

/**
 * The most one decision may grow a pool to: double it, or two more for a pool of one or none. Sizing from a short
 * window can overshoot (a burst's backlog, a model far from its data); the next tick grows it again if needed.
 */
export function maxStepUp(current: number): number {
  return Math.max(2 * current, current + 2);
}

export class ScaleDownGate {
  private readonly cooldownS: number;
  private lastUpS = Number.NEGATIVE_INFINITY;
  private lowSinceS: number | null = null;
  private highestWhileLow = 0;
  /** The capacity above the demand's need was bought for a backlog (or came with the initial cluster). */
  private transient = true;

  constructor(cooldownS: number) {
    this.cooldownS = cooldownS;
  }

  /**
   * The target for a pool of `current` replicas (as ordered) at `nowS`: `trigger` replicas meet the SLA itself,
   * `comfort` (≥ trigger) meet it with headroom; `forBacklog` says a backlog, not the arrival stream, sets them.
   */
  decide(
    nowS: number,
    current: number,
    trigger: number,
    comfort: number,
    forBacklog = false,
    falling = false,
  ): GateDecision {
    const required = Math.max(trigger, comfort);
    if (trigger > current) {
      this.lastUpS = nowS;
      this.lowSinceS = null;
      this.transient = forBacklog;
      return { target: Math.min(required, maxStepUp(current)), reason: "scale_up" };
    }
    if (required >= current) {
      this.lowSinceS = null;
      return { target: current, reason: "no_change" };
    }
    if (this.lowSinceS === null) {
      this.lowSinceS = nowS;
      this.highestWhileLow = required;
    } else if (required > this.highestWhileLow) this.highestWhileLow = required;
    const holdS = this.transient ? Math.min(this.cooldownS, TRANSIENT_HOLD_S) : this.cooldownS;
    const heldS = nowS - this.lowSinceS;
    if (heldS < holdS || nowS - this.lastUpS < holdS) {
      return { target: current, reason: "hold_cooldown" };
    }
    // While demand is still falling, wait for it to settle (one step down, not a staircase) — unless the pool is
    // already twice what it needs.
    if (falling && current < 2 * this.highestWhileLow) return { target: current, reason: "hold_falling" };
    const target = this.highestWhileLow;
    this.lowSinceS = null;
    this.transient = false;
    return { target, reason: "scale_down" };
  }
}
