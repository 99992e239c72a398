// Worker inventory and FPM ↔ worker-count reconciliation (docs/planner.md#inventory). Agg deployments keep
// their worker count in the decode slot.

import type { FpmMap, WorkerCounts } from "./types.js";

export type Component = "prefill" | "decode";

export class WorkerInventory {
  numPrefill = 0;
  numDecode = 0;
  expectedPrefill: number | null = null;
  expectedDecode: number | null = null;

  /** Ready counts overwrite only when present; expected counts are always overwritten (null included). */
  update(counts: WorkerCounts): void {
    if (counts.readyNumPrefill !== null) this.numPrefill = counts.readyNumPrefill;
    if (counts.readyNumDecode !== null) this.numDecode = counts.readyNumDecode;
    this.expectedPrefill = counts.expectedNumPrefill;
    this.expectedDecode = counts.expectedNumDecode;
  }

  ready(component: Component): number {
    return component === "prefill" ? this.numPrefill : this.numDecode;
  }

  /** A previous scaling target has not been reached yet. */
  scalingInProgress(component: Component): boolean {
    const expected = component === "prefill" ? this.expectedPrefill : this.expectedDecode;
    return expected !== null && expected !== this.ready(component);
  }
}

/**
 * True when the FPM map describes exactly `readyCount` workers with the same number of data-parallel ranks
 * each and one entry per (worker, rank). An empty map reconciles only with 0 workers.
 */
export function fpmMatchesWorkerCount(fpms: FpmMap, readyCount: number): boolean {
  const ranksByWorker = new Map<string, Set<number>>();
  for (const fpm of fpms.values()) {
    let ranks = ranksByWorker.get(fpm.workerId);
    if (ranks === undefined) {
      ranks = new Set();
      ranksByWorker.set(fpm.workerId, ranks);
    }
    ranks.add(fpm.dpRank);
  }
  if (ranksByWorker.size !== readyCount) return false;
  let dpSize: number | null = null;
  for (const ranks of ranksByWorker.values()) {
    if (dpSize === null) dpSize = ranks.size;
    else if (ranks.size !== dpSize) return false;
  }
  return fpms.size === readyCount * (dpSize ?? 1);
}
