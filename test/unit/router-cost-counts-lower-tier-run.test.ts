import { describe, expect, it } from "vitest";
import { KvEventLog, KvTier } from "../../src/sim/engine/kv-event-log.js";
import type { KvRouterConfig } from "../../src/sim/router/router-config.js";
import { makeRequests, makeRouter, storedEvent, takeAdmissions } from "../support/router-kit.js";

// Request A: 1000 tokens at block size 64 → 15 complete blocks b0..b14 (+ a partial one); isl_blocks 16.
// Worker 0 holds b0..b4 on its GPU, then b6..b9 in its host tier (b5 is missing: no run after the GPU prefix).
// Worker 1 holds nothing on its GPU, b0..b7 in its host tier and b8..b11 in its disk tier.
// Both are idle: decode_blocks = 15 new blocks each; cost = (1000 − covered·64)/64 + 15 (overlap weight 1).
//   w0: covered 5                                   → 680/64 + 15 = 25.625 (whatever the tier weights)
//   w1: covered = w_host·8 + w_disk·4 (from block 0) → defaults (1, 0.5): 10 → 360/64 + 15 = 20.625 → w1
//       (0, 0): 0 → 30.625 → w0;   (0.5, 0): 4 → 744/64 + 15 = 26.625 → w0;   (0.5, 0.5): 6 → 616/64 + 15 = 24.625 → w1
const BS = 64;
const A = 0;
const ids = Array.from({ length: 15 }, (_, j) => j + 1);

function tierStored(hashes: Float64Array, from: number, to: number, tier: 2 | 3): KvEventLog {
  const log = new KvEventLog();
  for (let i = from; i < to; i++) log.pushStored(hashes[i - 1] ?? Number.NaN, hashes, i, i + 1, tier);
  return log;
}

function admit(weights: Partial<KvRouterConfig>): { rows: number[][]; host: number; disk: number } {
  const requests = makeRequests([{ isl: 1000, ids }], BS);
  const router = makeRouter(requests, { config: weights, workers: 2 });
  const h = requests.blockHashes(A);
  router.applyKvEvents(0, storedEvent(h, 0, 5));
  router.applyKvEvents(0, tierStored(h, 6, 10, KvTier.Host));
  router.applyKvEvents(1, tierStored(h, 0, 8, KvTier.Host));
  router.applyKvEvents(1, tierStored(h, 8, 12, KvTier.Disk));
  router.onRequestArrival(A, 0);
  const host = router.admissions.hostBlocks[0] as number;
  const disk = router.admissions.diskBlocks[0] as number;
  return { rows: takeAdmissions(router), host, disk };
}

describe("the KV router's cost counts a worker's host and disk run after its GPU prefix, weighted", () => {
  it("default weights (host 1, disk 0.5): w1's 8 host + 4 disk blocks cover 10 blocks, beating w0's 5 on GPU", () => {
    const a = admit({});
    expect(a.rows).toEqual([[A, 1, 0, 16]]);
    // The admission reports the chosen worker's run: what the engine would onboard.
    expect([a.host, a.disk]).toEqual([8, 4]);
  });

  it("weights 0 ignore the lower tiers: today's choice (w0 by its GPU prefix)", () => {
    const a = admit({ kv_host_overlap_weight: 0, kv_disk_overlap_weight: 0 });
    expect(a.rows).toEqual([[A, 0, 5, 16]]);
    // w0's host blocks do not continue its GPU prefix (b5 is missing): no run.
    expect([a.host, a.disk]).toEqual([0, 0]);
  });

  it("the weights decide between the two: 26.625 > 25.625 at (0.5, 0), 24.625 < 25.625 at (0.5, 0.5)", () => {
    expect(admit({ kv_host_overlap_weight: 0.5, kv_disk_overlap_weight: 0 }).rows).toEqual([[A, 0, 5, 16]]);
    expect(admit({ kv_host_overlap_weight: 0.5, kv_disk_overlap_weight: 0.5 }).rows).toEqual([[A, 1, 0, 16]]);
  });

  it("a block removed from the host tier ends the run there", () => {
    // Removing b2 from w1's host tier leaves a run of b0, b1: covered 2 → 872/64 + 15 = 28.625 > 25.625 → w0.
    const requests = makeRequests([{ isl: 1000, ids }], BS);
    const router = makeRouter(requests, { workers: 2 });
    const h = requests.blockHashes(A);
    router.applyKvEvents(0, storedEvent(h, 0, 5));
    router.applyKvEvents(1, tierStored(h, 0, 8, KvTier.Host));
    const removed = new KvEventLog();
    removed.pushRemoved(h[2] as number, KvTier.Host);
    router.applyKvEvents(1, removed);
    router.onRequestArrival(A, 0);
    expect(takeAdmissions(router)).toEqual([[A, 0, 5, 16]]);
  });
});
