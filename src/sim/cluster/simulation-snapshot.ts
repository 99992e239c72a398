// An exact copy of a simulation's state at one moment (hindsight search: try a pool size, roll back, try another).
// The copy is a generic deep clone of the simulation's object graph (util/graph-clone.ts), so it covers every
// field of every engine, router, queue, heap, RNG and accumulator — including ones added later — without a
// per-class copy method to keep in step. The trace and the cluster options are immutable and shared, so a
// snapshot costs only the mutable state.

import { cloneGraph, collectShared } from "../../util/graph-clone.js";

/** A frozen copy of a simulation; restore it as often as needed (each restore is a fresh copy). */
export class SimulationSnapshot<T extends object = object> {
  /** The copied simulation; never run it (restore gives a runnable copy). */
  private readonly state: T;
  private readonly shared: ReadonlySet<object>;

  private constructor(state: T, shared: ReadonlySet<object>) {
    this.state = state;
    this.shared = shared;
  }

  /**
   * Copies `live`, sharing `immutables` and everything reached only through them. `recycle`: an older snapshot
   * of the same simulation that is no longer needed, whose memory the copy reuses (it is consumed).
   */
  static of<T extends object>(
    live: T,
    immutables: readonly object[],
    recycle?: SimulationSnapshot<T>,
  ): SimulationSnapshot<T> {
    const shared = collectShared(immutables);
    return new SimulationSnapshot(cloneGraph(live, shared, recycle?.state), shared);
  }

  /** A fresh runnable copy of the state; `recycle`: a copy no longer needed whose memory is reused (consumed). */
  copy(recycle?: T): T {
    return cloneGraph(this.state, this.shared, recycle);
  }
}
