import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import { RandomRouter, RoundRobinRouter } from "../../src/sim/router/baseline-routers.js";
import { makeRequests, takeAdmissions } from "../support/router-kit.js";

const requests = makeRequests(
  Array.from({ length: 12 }, (_, i) => ({ isl: 10 + i })),
  4,
);

describe("baseline routers admit at once with overlap 0 (docs/design.md#baseline-routers)", () => {
  it("round robin: worker = ids ascending [counter mod n], counter = index + 1", () => {
    const router = new RoundRobinRouter({ blockSize: 4, requests });
    router.addWorker(2, 0);
    router.addWorker(0, 0);
    router.addWorker(1, 0);
    for (let r = 0; r < 4; r++) router.onRequestArrival(r, 0);
    // ids [0,1,2]: counter 0 → 0, 1 → 1, 2 → 2, 3 mod 3 = 0 → 0.
    expect(takeAdmissions(router)).toEqual([
      [0, 0, 0, 3], // ceil(10/4)
      [1, 1, 0, 3],
      [2, 2, 0, 3],
      [3, 0, 0, 4], // ceil(13/4)
    ]);
    // counter = 1. Remove worker 1: ids [0,2]; 1 mod 2 = 1 → worker 2, counter 2; 2 mod 2 = 0 → worker 0.
    router.removeWorker(1, 0);
    router.onRequestArrival(4, 0);
    router.onRequestArrival(5, 0);
    expect(takeAdmissions(router).map((a) => a[1])).toEqual([2, 0]);
    // counter = 1. Add worker 7: ids [0,2,7]; 1 → worker 2, 2 → worker 7, 3 mod 3 = 0 → worker 0.
    router.addWorker(7, 0);
    for (let r = 6; r < 9; r++) router.onRequestArrival(r, 0);
    expect(takeAdmissions(router).map((a) => a[1])).toEqual([2, 7, 0]);
  });

  it("random: ids ascending [rng.nextBelow(n)]", () => {
    const router = new RandomRouter({ blockSize: 4, requests, rng: new Prng(77) });
    const mirror = new Prng(77);
    for (const w of [4, 1, 9]) router.addWorker(w, 0);
    for (let r = 0; r < 12; r++) router.onRequestArrival(r, 0);
    const expected = Array.from({ length: 12 }, () => [1, 4, 9][mirror.nextBelow(3)]);
    expect(takeAdmissions(router).map((a) => a[1])).toEqual(expected);
  });

  it("park arrivals while no worker is routable, then admit them in arrival order", () => {
    const router = new RoundRobinRouter({ blockSize: 4, requests });
    router.onRequestArrival(0, 0);
    router.onRequestArrival(1, 0);
    expect(router.pendingCount).toBe(2);
    expect(takeAdmissions(router)).toEqual([]);
    router.addWorker(3, 1);
    expect(takeAdmissions(router)).toEqual([
      [0, 3, 0, 3],
      [1, 3, 0, 3],
    ]);
    expect(router.pendingCount).toBe(0);
  });

  it("reject re-adding a worker id and removing an unknown one", () => {
    const router = new RoundRobinRouter({ blockSize: 4, requests });
    router.addWorker(0, 0);
    router.removeWorker(0, 0);
    expect(() => router.addWorker(0, 0)).toThrow("router worker 0 already exists");
    expect(() => router.removeWorker(5, 0)).toThrow("router worker 5 is not in the routing set");
  });
});
