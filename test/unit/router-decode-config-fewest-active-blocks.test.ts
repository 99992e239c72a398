import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTER_CONFIG, decodeStageRouterConfig } from "../../src/sim/router/router-config.js";
import { makeRequests, makeRouter, takeAdmissions } from "../support/router-kit.js";

// Block size 10. R0 and R2 are the same 100-token prompt; R1 50 tokens, R3 30, R4 100.
const shared = Array.from({ length: 10 }, (_, j) => 70 + j);
const rows = [{ isl: 100, ids: shared }, { isl: 50 }, { isl: 100, ids: shared }, { isl: 30 }, { isl: 100 }];

describe("disagg decode router: weight 0, no reuse, no prefill tracking → fewest projected active blocks (docs/design.md#disagg-handoff)", () => {
  it("derives the decode configuration", () => {
    const c = decodeStageRouterConfig(DEFAULT_ROUTER_CONFIG);
    expect(c.overlap_score_weight).toBe(0);
    expect(c.router_assume_kv_reuse).toBe(false);
    expect(c.router_track_prefill_tokens).toBe(false);
    expect(c.router_prefill_load_model).toBeNull();
    expect(c.router_track_active_blocks).toBe(true);
  });

  it("routes each request to the worker with the fewest active blocks after adding it", () => {
    const requests = makeRequests(rows, 10);
    const router = makeRouter(requests, {
      config: decodeStageRouterConfig(DEFAULT_ROUTER_CONFIG),
      useReplayHashes: false,
      workers: 1,
    });
    router.onRequestArrival(0, 0); // only w0 → w0 holds 10 blocks
    router.addWorker(1, 0);
    router.onRequestArrival(1, 0); // w0: 5 + 10 = 15, w1: 5 + 0 = 5 → w1
    router.addWorker(2, 0);
    // Same prompt as R0, but no reuse is assumed: w0: 10 + 10 = 20, w1: 10 + 5 = 15, w2: 10 + 0 = 10 → w2.
    router.onRequestArrival(2, 0);
    router.onRequestArrival(3, 0); // w0: 3 + 10 = 13, w1: 3 + 5 = 8, w2: 3 + 10 = 13 → w1
    router.onRequestCompleted(0, 1); // w0 back to 0 blocks
    router.onRequestArrival(4, 1); // w0: 10, w1: 10 + 8 = 18, w2: 10 + 10 = 20 → w0
    expect(takeAdmissions(router)).toEqual([
      [0, 0, 0, 10],
      [1, 1, 0, 5],
      [2, 2, 0, 10],
      [3, 1, 0, 3],
      [4, 0, 0, 10],
    ]);
    // No prefill tokens are tracked, so the default threshold (4.0) never queues anything.
    expect(router.activeTokens(1, 1)).toBe(0);
    expect(router.pendingCount).toBe(0);
  });
});
