import { describe, expect, it } from "vitest";
import type { RouterFactory } from "../../src/sim/cluster/cluster-engine.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { createStageRouter } from "../../src/sim/cluster/router-factory.js";
import { KvEventKind, KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import type { KvEventBatch } from "../../src/sim/router/kv-event-batch.js";
import type { Router } from "../../src/sim/router/router.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

// One worker with a 4-block KV cache (64-token blocks). A (ids [1,2], isl 128, osl 1) runs first and leaves
// blocks h1, h2 inactive; B (ids [3,4,5], isl 192, osl 1) then needs 3 new blocks + 1 for its token = 4, so
// the engine evicts h1 and h2 and publishes Removed(h1, h2) at B's pass start. A router that loses those
// removals still attributes h1, h2 to worker 0: with checkInvariants the cluster must fail loudly right
// after applying B's events; a faithful router passes.
const requests = [
  { isl: 128, osl: 1, hashIds: [1, 2], arrivalMs: 0 },
  { isl: 192, osl: 1, hashIds: [3, 4, 5], arrivalMs: 1000 },
];

/** Forwards every KV event except removals. */
function dropRemovals(inner: Router): Router {
  const kept = new KvEventLog();
  return {
    get admissions() {
      return inner.admissions;
    },
    get pendingCount() {
      return inner.pendingCount;
    },
    addWorker: (w, t) => inner.addWorker(w, t),
    removeWorker: (w, t) => inner.removeWorker(w, t),
    onRequestArrival: (r, t) => inner.onRequestArrival(r, t),
    onPrefillCompleted: (r, t) => inner.onPrefillCompleted(r, t),
    onRequestCompleted: (r, t) => inner.onRequestCompleted(r, t),
    indexedBlocks: (w) => inner.indexedBlocks(w),
    applyKvEvents(w: number, events: KvEventBatch) {
      kept.reset();
      for (let e = 0; e < events.count; e++) {
        if (events.kind[e] !== KvEventKind.Stored) continue;
        const start = events.hashStart[e] as number;
        kept.pushStored(
          events.parentHash[e] as number,
          events.hashes,
          start,
          start + (events.hashCount[e] as number),
        );
      }
      inner.applyKvEvents(w, kept);
    },
  };
}

function run(createRouter: RouterFactory): void {
  const trace = tinyTrace(requests, 64);
  const options = resolveClusterOptions(
    { numWorkers: 1, routerMode: "kv", engineArgs: { num_gpu_blocks: 4 }, checkInvariants: true },
    64,
  );
  new ClusterSimulation(trace, options, { createRouter }).run();
}

describe("the router-view invariant (checkInvariants)", () => {
  it("passes when the prefix index follows the engine's events", () => {
    expect(() => run(createStageRouter)).not.toThrow();
  });

  it("fails loudly when the index still attributes blocks the engine evicted", () => {
    expect(() => run((...a) => dropRemovals(createStageRouter(...a)))).toThrow(
      /router view invariant violated at 1000 ms \(agg stage\): the prefix index attributes block \d+ to worker 0, whose engine does not hold it/,
    );
  });
});
