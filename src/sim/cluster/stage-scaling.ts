import type { EventHeap } from "../../../native-free-kernels/heap.js";
import { InputError } from "../../util/errors.js";
import { MAX_POOL_WORKERS } from "./cluster-limits.js";
import { WorkerState } from "./engine-pool.js";
import { readyEventOf } from "./event-kind.js";
import type { Stage } from "./stage.js";

/** What scaling needs from the cluster loop: the clock, the event heap and admission dispatch. */
export interface ScalingHost {
  readonly now: number;
  readonly eventHeap: EventHeap;
  dispatchAdmissions(stage: Stage): void;
}

/**
 * Offers a new worker's pool to its stage's router before the worker's first pass, when the router takes the
 * engines' KV events (src/sim/router/pool-mirror.ts): the router may read the pool instead of the events.
 */
export function offerPoolToRouter(stage: Stage, workerId: number): void {
  const router = stage.router;
  const pool = stage.pool.worker(workerId).mirrorablePool?.() ?? null;
  if (!stage.appliesKvEvents) {
    if (pool !== null) pool.eventsUnread = true; // the disagg decode router never takes them
    return;
  }
  router.mirrorPool?.(workerId, stage.mirrorsPools ? pool : null);
}

/** Deletes a draining worker once it has nothing running, queued or in a pass. */
export function deleteIfDrained(stage: Stage, workerId: number, nowMs: number): void {
  const pool = stage.pool;
  const worker = pool.worker(workerId);
  if (!pool.isBusy(workerId) && worker.inFlight === 0 && !worker.hasWork())
    pool.deleteWorker(workerId, nowMs);
}

/**
 * docs/design.md#scaling-a-pool: grow with new ids (after a startup delay, if any: a ready event joins them
 * to the router); shrink by cancelling startups, then draining the highest active ids (they leave the router
 * at once and are deleted when drained).
 */
export function applyTargetCount(host: ScalingHost, stage: Stage, target: number): void {
  if (target > MAX_POOL_WORKERS) {
    // Only a planner without a GPU budget gets here (its static pool sizes are checked up front).
    throw new InputError(
      `planner config: field "max_gpu_budget": the planner scaled the ${stage.name} pool to ${target} workers; a ` +
        `simulated pool holds at most ${MAX_POOL_WORKERS} (docs/limits.md): set a GPU budget`,
    );
  }
  const nowMs = host.now;
  const pool = stage.pool;
  const effective = pool.effectiveCount;
  if (target > effective) {
    for (let k = effective; k < target; k++) {
      const starting = stage.startupMs > 0;
      const id = pool.createWorker(nowMs, starting);
      offerPoolToRouter(stage, id);
      if (starting) host.eventHeap.push(nowMs + stage.startupMs, readyEventOf(stage.index), id);
      else {
        stage.router.addWorker(id, nowMs);
        host.dispatchAdmissions(stage);
      }
    }
  } else if (target < effective) {
    let excess = effective - target;
    for (let id = pool.idLimit - 1; id >= 0 && excess > 0; id--) {
      if (pool.stateOf(id) === WorkerState.Starting) {
        pool.deleteWorker(id, nowMs);
        excess--;
      }
    }
    for (let id = pool.idLimit - 1; id >= 0 && excess > 0; id--) {
      if (pool.stateOf(id) === WorkerState.Active) {
        pool.setState(id, WorkerState.Draining);
        stage.router.removeWorker(id, nowMs);
        host.dispatchAdmissions(stage);
        deleteIfDrained(stage, id, nowMs);
        excess--;
      }
    }
  }
  for (let id = 0; id < pool.idLimit; id++) {
    if (pool.stateOf(id) === WorkerState.Draining) deleteIfDrained(stage, id, nowMs);
  }
}
