import { describe, expect, it } from "vitest";
import {
  DEFAULT_ROUTER_CONFIG,
  type KvRouterConfig,
  prefillStageRouterConfig,
} from "../../src/sim/router/router-config.js";
import { makeRequests, makeRouter, takeAdmissions } from "../support/router-kit.js";

// Block size 16. B0: 160 tokens (10 blocks), B1: 20 tokens (1 block), A: 64 tokens (4 blocks), all unrelated.
const rows = [{ isl: 160 }, { isl: 20 }, { isl: 64 }];

function routeA(config: KvRouterConfig): number {
  const router = makeRouter(makeRequests(rows, 16), { config, workers: 1 });
  router.onRequestArrival(0, 0); // B0 → w0 (prefill load 160)
  router.addWorker(1, 0);
  // B1: w0 = (20 + 160)/16 + … > w1 = 20/16 + … whatever the decode term → w1 (load 20).
  router.onRequestArrival(1, 0);
  router.onPrefillCompleted(0, 1); // w0 keeps B0's 10 active blocks but no prefill load
  router.onRequestArrival(2, 1);
  const admitted = takeAdmissions(router);
  expect(admitted.slice(0, 2).map((a) => a[1])).toEqual([0, 1]);
  return admitted[2]?.[1] as number;
}

describe("without active-block tracking, decode_blocks falls back to ⌊prefill_tokens / block_size⌋ (docs/design.md#router-cost)", () => {
  it("derives the prefill-stage configuration", () => {
    expect(prefillStageRouterConfig(DEFAULT_ROUTER_CONFIG).router_track_active_blocks).toBe(false);
  });

  it("ignores the decode load of active blocks on the prefill router", () => {
    // w0: p = 64 → 64/16 + ⌊64/16⌋ = 8; w1: p = 64 + 20 = 84 → 5.25 + ⌊5.25⌋ = 10.25 → w0.
    expect(routeA(prefillStageRouterConfig(DEFAULT_ROUTER_CONFIG))).toBe(0);
  });

  it("counts them when tracking (default): the same history routes to the other worker", () => {
    // w0: 64/16 + (4 new + 10 active) = 18; w1: 84/16 + (4 new + 1 active) = 10.25 → w1.
    expect(routeA(DEFAULT_ROUTER_CONFIG)).toBe(1);
  });
});
