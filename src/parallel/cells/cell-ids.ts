/**
 * Worker ids across cells. Each cell numbers its workers 0, 1, 2, … (new workers get new ids; a scale-down
 * drains its highest ids first, docs/design.md#scaling-a-pool). The planner sees one cluster, so ids are
 * interleaved:
 *
 *   global = local · K + cell        local = ⌊global / K⌋, cell = global mod K
 *
 * Why interleaved rather than one id range per cell: targets spread floor + remainder over cells (cell-plan.ts),
 * so scaling T → T − 1 takes a worker from the highest cell holding ⌈T/K⌉ workers, and that worker's global id
 * is the highest of all. With compact local ids (no churn yet) the live workers of a target T are exactly global
 * ids 0 … T − 1, as in one cluster, and the planner adapter's "prune the FPM cache by dropping the highest ids"
 * rule drops the same workers a single cluster would. After churn (new ids above drained ones) it is a
 * heuristic, as it already is for one cluster. K = 1 leaves every id unchanged.
 */

export function globalWorkerId(localId: number, cell: number, cellCount: number): number {
  return localId * cellCount + cell;
}

export function cellOfGlobalWorker(globalId: number, cellCount: number): number {
  return globalId % cellCount;
}

export function localWorkerId(globalId: number, cellCount: number): number {
  return Math.floor(globalId / cellCount);
}

/** Rewrites a cell's per-request worker ids (−1 = none) to global ids, in place. */
export function globaliseWorkerIds(workerIds: Int32Array, cell: number, cellCount: number): void {
  if (cellCount === 1) return;
  for (let i = 0; i < workerIds.length; i++) {
    const id = workerIds[i] as number;
    if (id >= 0) workerIds[i] = id * cellCount + cell;
  }
}
