import { describe, expect, it } from "vitest";
import { ActiveBlockTracker } from "../../src/sim/router/active-sequences.js";
import { makeRequests, makeRouter, takeAdmissions } from "../support/router-kit.js";

describe("active blocks are distinct per worker and ref-counted across requests (docs/design.md#router-cost)", () => {
  it("counts a shared prefix once and frees it with its last request", () => {
    const t = new ActiveBlockTracker(4);
    t.addBlocks(0, [10, 11, 12], 3);
    t.addBlocks(0, [10, 11, 13, 14], 4);
    t.addBlocks(1, [10, 11], 2);
    expect(t.activeBlocks(0)).toBe(5); // 10, 11, 12, 13, 14
    expect(t.activeBlocks(1)).toBe(2);
    t.countPresent([10, 11, 12, 99], 4);
    expect(t.present[0]).toBe(3); // new_blocks(w0) = 4 − 3 = 1
    expect(t.present[1]).toBe(2); // new_blocks(w1) = 4 − 2 = 2
    t.clearPresent();
    expect(Array.from(t.present.subarray(0, 2))).toEqual([0, 0]);
    t.removeBlocks(0, [10, 11, 12], 3);
    expect(t.activeBlocks(0)).toBe(4); // 10 and 11 still held by the second request
    t.removeBlocks(0, [10, 11, 13, 14], 4);
    expect(t.activeBlocks(0)).toBe(0);
    expect(t.activeBlocks(1)).toBe(2);
    expect(() => t.removeBlocks(0, [10], 1)).toThrow("active block 10 of worker 0 is not tracked");
  });

  it("the router's decode term counts only blocks not yet active on the worker", () => {
    // Block size 10, weight 0, no prefill tracking: logit = new blocks + active blocks.
    // R0: 100 tokens, blocks a0..a9. R1: same first 8 blocks, then its own 2. R2: 100 unrelated tokens.
    const prefix = Array.from({ length: 8 }, (_, j) => 40 + j);
    const requests = makeRequests(
      [{ isl: 100, ids: [...prefix, 48, 49] }, { isl: 100, ids: prefix }, { isl: 100 }],
      10,
    );
    const router = makeRouter(requests, {
      workers: 1,
      config: { overlap_score_weight: 0, router_track_prefill_tokens: false },
    });
    router.onRequestArrival(0, 0); // w0: 10 active
    router.addWorker(1, 0);
    router.onRequestArrival(2, 0); // w0: 10 + 10 = 20, w1: 10 → w1 (10 active)
    // R1 on w0: 2 new + 10 active = 12; on w1: 10 new + 10 = 20 → w0, which then holds 12 distinct blocks.
    router.onRequestArrival(1, 0);
    expect(takeAdmissions(router).map((a) => a[1])).toEqual([0, 1, 0]);
    expect(router.activeBlocks.activeBlocks(0)).toBe(12);
    router.onRequestCompleted(0, 1);
    expect(router.activeBlocks.activeBlocks(0)).toBe(10); // R1's 10 blocks remain
  });
});
