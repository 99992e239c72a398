import { describe, expect, it } from "vitest";
import { makeRequests, makeRouter, takeAdmissions } from "../support/router-kit.js";

// Prompts of 100 tokens at block size 10, all unrelated; max_num_batched_tokens 100.
const requests = makeRequests(
  Array.from({ length: 6 }, () => ({ isl: 100 })),
  10,
);

describe("busy threshold: a worker is busy above threshold × max_num_batched_tokens prefill tokens (docs/design.md#router-queue)", () => {
  it("queues only when every routable worker is above the limit (≤ is not busy)", () => {
    // threshold 1 → limit 100 tokens.
    const router = makeRouter(requests, {
      workers: 1,
      maxNumBatchedTokens: 100,
      config: { router_queue_threshold: 1 },
    });
    router.onRequestArrival(0, 0); // active tokens 0 ≤ 100 → admitted; w0 now holds 100
    router.onRequestArrival(1, 0); // 100 ≤ 100 → still not busy → admitted; 200
    router.onRequestArrival(2, 0); // 200 > 100 → busy → queued
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([0, 1]);
    expect(router.pendingCount).toBe(1);
    expect(router.activeTokens(0, 0)).toBe(200);
  });

  it("uses the fractional threshold exactly (0.5 × 100 = 50)", () => {
    const rows = makeRequests([{ isl: 50 }, { isl: 1 }, { isl: 1 }], 10);
    const router = makeRouter(rows, {
      workers: 1,
      maxNumBatchedTokens: 100,
      config: { router_queue_threshold: 0.5 },
    });
    router.onRequestArrival(0, 0); // load 50
    router.onRequestArrival(1, 0); // 50 ≤ 50 → admitted; load 51
    router.onRequestArrival(2, 0); // 51 > 50 → queued
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([0, 1]);
    expect(router.pendingCount).toBe(1);
  });

  it("skips workers outside the routing set: a removed busy worker does not make the cluster busy", () => {
    const router = makeRouter(requests, {
      workers: 1,
      maxNumBatchedTokens: 100,
      config: { router_queue_threshold: 0.5 },
    });
    router.onRequestArrival(0, 0); // w0: 100 > 50
    router.addWorker(1, 0);
    router.removeWorker(0, 0);
    router.onRequestArrival(1, 0); // only w1 (0 tokens) is checked → not busy → admitted to w1
    expect(takeAdmissions(router)).toEqual([
      [0, 0, 0, 10],
      [1, 1, 0, 10],
    ]);
    // The removed worker's state is kept: its request can still complete.
    expect(router.activeTokens(0, 0)).toBe(100);
    router.onRequestCompleted(0, 0);
    expect(router.activeTokens(0, 0)).toBe(0);
  });

  it("never queues without a threshold (null)", () => {
    const router = makeRouter(requests, {
      workers: 1,
      maxNumBatchedTokens: 100,
      config: { router_queue_threshold: null },
    });
    for (let r = 0; r < 6; r++) router.onRequestArrival(r, 0);
    expect(takeAdmissions(router)).toHaveLength(6);
    expect(router.pendingCount).toBe(0);
    expect(router.activeTokens(0, 0)).toBe(600);
  });

  it("with no routable worker, arrivals wait and are admitted in policy order when one joins", () => {
    const router = makeRouter(requests, { workers: 0, config: { router_queue_threshold: null } });
    router.onRequestArrival(0, 1000);
    router.onRequestArrival(1, 2000);
    expect(takeAdmissions(router)).toEqual([]);
    expect(router.pendingCount).toBe(2);
    router.addWorker(3, 2500);
    expect(takeAdmissions(router)).toEqual([
      [0, 3, 0, 10],
      [1, 3, 0, 10],
    ]);
    expect(router.pendingCount).toBe(0);
  });

  it("an engine without a batch limit counts as the reference default of 8192 tokens", () => {
    // threshold 0.01 → 81.92 tokens: after one 100-token prompt the only worker is busy.
    const router = makeRouter(requests, {
      workers: 1,
      maxNumBatchedTokens: Number.POSITIVE_INFINITY,
      config: { router_queue_threshold: 0.01 },
    });
    router.onRequestArrival(0, 0);
    router.onRequestArrival(1, 0);
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([0]);
    expect(router.pendingCount).toBe(1);
  });
});
