// Replica counts of one component over simulated time. A component's replica count is its scaled-to size —
// active plus starting workers (draining ones are on their way out) — which changes only when the planner's
// decisions are applied, so the timeline is exact: the initial count at t = 0, then one change per application.

export interface ReplicaChange {
  /** Simulated time of the change, seconds. */
  readonly atS: number;
  readonly count: number;
}

export interface ReplicaStats {
  readonly peak: number;
  /** ∫ count dt / endS over [0, endS]; the initial count when endS ≤ 0. */
  readonly timeWeightedMean: number;
  readonly initial: number;
  readonly final: number;
}

/** Changes must be in time order; changes after `endS` are ignored. */
export function replicaStats(initial: number, changes: readonly ReplicaChange[], endS: number): ReplicaStats {
  let peak = initial;
  let count = initial;
  let since = 0;
  let area = 0;
  for (const change of changes) {
    if (change.atS > endS) break;
    if (change.atS < since) throw new RangeError(`replica changes out of order at ${change.atS} s`);
    area += count * (change.atS - since);
    since = change.atS;
    count = change.count;
    if (count > peak) peak = count;
  }
  area += count * Math.max(0, endS - since);
  return { peak, timeWeightedMean: endS > 0 ? area / endS : initial, initial, final: count };
}

/** Records a component's count after each scaling application, keeping only actual changes. */
export class ReplicaTimeline {
  readonly initial: number;
  readonly changes: ReplicaChange[] = [];
  private current: number;

  constructor(initial: number) {
    this.initial = initial;
    this.current = initial;
  }

  observe(atS: number, count: number): void {
    if (count === this.current) return;
    this.changes.push({ atS, count });
    this.current = count;
  }

  stats(endS: number): ReplicaStats {
    return replicaStats(this.initial, this.changes, endS);
  }
}
