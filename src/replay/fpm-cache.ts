// Last-seen forward-pass cache of one component (docs/design.md#fpm-caches): the latest snapshot per
// engine, keyed (worker_id, dp_rank 0) — replay engines have one rank — and pruned to the active worker count by
// dropping the numerically highest worker ids, since scale-down drains the highest ids first. After a
// scale-down then a scale-up this can drop an active worker and keep a draining one; upstream does the same.

import { type ForwardPassMetrics, type FpmMap, fpmKey } from "../planner/types.js";

export class FpmCache {
  /** Map order = first-insertion order of each engine (a later snapshot replaces the value in place). */
  private readonly latest = new Map<string, ForwardPassMetrics>();

  get size(): number {
    return this.latest.size;
  }

  /** Every snapshot in pass order; the last one per worker wins. */
  update(snapshots: readonly ForwardPassMetrics[]): void {
    for (const fpm of snapshots) this.latest.set(fpmKey(fpm.workerId, 0), fpm);
  }

  /** Deletes the highest worker ids until at most `activeCount` engines remain. */
  pruneTo(activeCount: number): void {
    while (this.latest.size > Math.max(0, activeCount)) {
      let highestKey: string | null = null;
      let highestId = Number.NEGATIVE_INFINITY;
      for (const [key, fpm] of this.latest) {
        const id = Number(fpm.workerId);
        if (id > highestId || highestKey === null) {
          highestId = id;
          highestKey = key;
        }
      }
      this.latest.delete(highestKey as string);
    }
  }

  /** A copy of the cache for one tick's observations; null when empty. */
  observations(): FpmMap | null {
    return this.latest.size === 0 ? null : new Map(this.latest);
  }

  workerIds(): string[] {
    return [...this.latest.values()].map((fpm) => fpm.workerId);
  }
}

/**
 * The snapshots of one tick that are not the last of their worker, in pass order: in SLA mode they train the
 * regressions directly, since only the last per worker reaches the planner through the cache.
 */
export function allButLastPerWorker(snapshots: readonly ForwardPassMetrics[]): ForwardPassMetrics[] {
  const lastIndex = new Map<string, number>();
  snapshots.forEach((fpm, i) => {
    lastIndex.set(fpm.workerId, i);
  });
  return snapshots.filter((fpm, i) => lastIndex.get(fpm.workerId) !== i);
}
