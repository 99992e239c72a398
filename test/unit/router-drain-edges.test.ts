import { describe, expect, it } from "vitest";
import { makeRequests, makeRouter, takeAdmissions } from "../support/router-kit.js";

// Unrelated prompts of 100 tokens (block size 10); threshold 0 → a worker is busy with any tracked prefill load.
const requests = makeRequests(
  Array.from({ length: 6 }, () => ({ isl: 100 })),
  10,
);
const busyWhenLoaded = { router_queue_threshold: 0 } as const;

describe("the queue drains at the lifecycle edges (docs/design.md#router-queue)", () => {
  it("prefill completed: the worker's load drops to 0 and the queued request is admitted", () => {
    const router = makeRouter(requests, { workers: 1, config: busyWhenLoaded });
    router.onRequestArrival(0, 0);
    router.onRequestArrival(1, 0);
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([0]);
    router.onPrefillCompleted(0, 5);
    expect(takeAdmissions(router)).toEqual([[1, 0, 0, 10]]);
    expect(router.pendingCount).toBe(0);
  });

  it("request completed (prefill never marked separately): free, then drain", () => {
    const router = makeRouter(requests, { workers: 1, config: busyWhenLoaded });
    router.onRequestArrival(0, 0);
    router.onRequestArrival(1, 0);
    takeAdmissions(router);
    router.onRequestCompleted(0, 5);
    expect(takeAdmissions(router)).toEqual([[1, 0, 0, 10]]);
    expect(router.activeBlocks.activeBlocks(0)).toBe(10); // only request 1's blocks remain active
  });

  it("worker added: the queued request goes straight to the new worker", () => {
    const router = makeRouter(requests, { workers: 1, config: busyWhenLoaded });
    router.onRequestArrival(0, 0);
    router.onRequestArrival(1, 0);
    takeAdmissions(router);
    router.addWorker(5, 1);
    expect(takeAdmissions(router)).toEqual([[1, 5, 0, 10]]);
  });

  it("topology changed: a removed worker's completions no longer unblock the queue; a replacement does", () => {
    const router = makeRouter(requests, { workers: 2, config: busyWhenLoaded });
    router.onRequestArrival(0, 0);
    router.onRequestArrival(1, 0);
    const first = takeAdmissions(router);
    expect(first.map((a) => a[1]).sort()).toEqual([0, 1]); // one each: the loaded worker costs more
    router.onRequestArrival(2, 0); // both busy → queued
    router.removeWorker(1, 1);
    const onWorker1 = first.find((a) => a[1] === 1)?.[0] as number;
    router.onRequestCompleted(onWorker1, 2); // frees state on the removed worker; worker 0 is still busy
    expect(takeAdmissions(router)).toEqual([]);
    router.addWorker(2, 3);
    expect(takeAdmissions(router)).toEqual([[2, 2, 0, 10]]);
  });

  it("a drain admits as many requests as fit under the threshold", () => {
    // threshold 0.2 × 1000 = 200 tokens: 0 → 100 → 200 are not busy, 300 is.
    const router = makeRouter(requests, {
      workers: 1,
      maxNumBatchedTokens: 1000,
      config: { router_queue_threshold: 0.2 },
    });
    for (let r = 0; r < 6; r++) router.onRequestArrival(r, r);
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([0, 1, 2]);
    router.onPrefillCompleted(0, 10); // 200 → admits 3 (300), then busy
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([3]);
    router.onPrefillCompleted(1, 11); // 300 → 200: admits 4 (→ 300)
    router.onPrefillCompleted(2, 12); // 300 → 200: admits 5 (→ 300)
    expect(takeAdmissions(router).map((a) => a[0])).toEqual([4, 5]);
  });
});
