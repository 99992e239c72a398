import { describe, expect, it } from "vitest";
import { queueKey } from "../../src/sim/router/pending-queue.js";
import type { QueuePolicy } from "../../src/sim/router/router-config.js";
import {
  makeRequests,
  makeRouter,
  removedEvent,
  storedEvent,
  takeAdmissions,
} from "../support/router-kit.js";

// Block size 10, one worker, threshold 0: any tracked prefill load makes the worker busy, so after R0 every
// arrival queues and each completion admits exactly one queued request.
//   R1: t = 1 s, 300 tokens   R2: t = 2 s, 100 tokens   R3: t = 3 s, 200 tokens (first 15 blocks cached)
//   R4: t = 3 s, 200 tokens
const r3Ids = Array.from({ length: 20 }, (_, j) => 500 + j);
const rows = [{ isl: 100 }, { isl: 300 }, { isl: 100 }, { isl: 200, ids: r3Ids }, { isl: 200 }];
const arrivalMs = [0, 1000, 2000, 3000, 3000];

function admissionOrder(policy: QueuePolicy, evictAfterEnqueue = false): number[][] {
  const requests = makeRequests(rows, 10);
  const router = makeRouter(requests, {
    workers: 1,
    config: { router_queue_threshold: 0, router_queue_policy: policy },
  });
  router.applyKvEvents(0, storedEvent(requests.blockHashes(3), 0, 15));
  for (let r = 0; r < rows.length; r++) router.onRequestArrival(r, arrivalMs[r] as number);
  if (evictAfterEnqueue) {
    const h = requests.blockHashes(3);
    router.applyKvEvents(0, removedEvent(...Array.from(h.subarray(0, 15)).reverse()));
  }
  const order = takeAdmissions(router);
  expect(router.pendingCount).toBe(4);
  for (let k = 0; k < 4; k++) {
    router.onRequestCompleted(order[order.length - 1]?.[0] as number, 10_000 + k);
    order.push(...takeAdmissions(router));
  }
  return order;
}

describe("queue policies: the higher key pops first, equal keys by enqueue order (docs/design.md#router-queue)", () => {
  it("computes the keys", () => {
    expect(queueKey("fcfs", 2500, 100, 0, 10)).toBe(-2.5); // −arrival_s
    expect(queueKey("lcfs", 2500, 100, 0, 10)).toBe(2.5); // +arrival_s
    expect(queueKey("wspt", 2500, 200, 15, 10)).toBe(1 / 50); // 1 / max(1, 200 − 15·10)
    expect(queueKey("wspt", 0, 100, 10, 10)).toBe(1); // fully cached → 1 / max(1, 0)
  });

  it("fcfs admits in arrival order (keys −1, −2, −3, −3)", () => {
    expect(admissionOrder("fcfs").map((a) => a[0])).toEqual([0, 1, 2, 3, 4]);
  });

  it("lcfs admits the latest first, ties in enqueue order (keys 1, 2, 3, 3)", () => {
    expect(admissionOrder("lcfs").map((a) => a[0])).toEqual([0, 3, 4, 2, 1]);
  });

  it("wspt admits the shortest uncached prompt first (keys 1/300, 1/100, 1/50, 1/200)", () => {
    expect(admissionOrder("wspt").map((a) => a[0])).toEqual([0, 3, 2, 4, 1]);
  });

  it("reuses the overlaps computed at enqueue, even after the blocks were evicted", () => {
    const order = admissionOrder("wspt", true);
    expect(order[1]).toEqual([3, 0, 15, 20]); // still reports 15 cached blocks, and still went first
  });
});
