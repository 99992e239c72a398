import { describe, expect, it } from "vitest";
import { decodeMs, prefillMs, tinyCluster } from "../support/cluster-kit.js";

// A (ids [1,2], isl 128, osl 2) at 0, then B (ids [1,2,3], isl 192, osl 2) at 1000 ms, two workers.
// A runs on worker 0 (the lowest id wins the cost tie: both cost 2 prefill blocks, empty trees).
// When B arrives A has finished; its blocks sit in worker 0's inactive LRU and the router still sees them
// (deref publishes nothing), so the KV router scores worker 0 at 192−128 = 64 new tokens = 1 block vs 3 on
// worker 1 and sends B there: B reuses 128 tokens and prefills only 64.
describe("KV-aware routing reuses a cached prefix", () => {
  const requests = [
    { isl: 128, osl: 2, hashIds: [1, 2], arrivalMs: 0 },
    { isl: 192, osl: 2, hashIds: [1, 2, 3], arrivalMs: 1000 },
  ];

  it("kv router: B lands on A's worker, reuses 128 tokens and prefills 64", () => {
    const sim = tinyCluster(requests, { numWorkers: 2, routerMode: "kv" });
    sim.run();
    const c = sim.collector;
    expect(c.workerId[0]).toBe(0);
    expect(c.workerId[1]).toBe(0);
    expect(c.reusedTokens[1]).toBe(128);
    // B's first pass: prefill of the 64 uncached tokens (mean isl 192 − mean prefix 128), then a decode step
    // with 3 blocks active (A's two reactivated + B's third).
    expect((c.firstTokenMs[1] as number) - (c.arrivalMs[1] as number)).toBeCloseTo(
      prefillMs(64) + decodeMs(3),
      9,
    );
  });

  it("round robin: B goes to worker 1 and recomputes everything", () => {
    const sim = tinyCluster(requests, { numWorkers: 2, routerMode: "round_robin" });
    sim.run();
    const c = sim.collector;
    expect(c.workerId[0]).toBe(0);
    expect(c.workerId[1]).toBe(1);
    expect(c.reusedTokens[1]).toBe(0);
    expect((c.firstTokenMs[1] as number) - (c.arrivalMs[1] as number)).toBeCloseTo(
      prefillMs(192) + decodeMs(3),
      9,
    );
  });

  it("the traffic window's hit rate is the mean of per-request overlap/isl block ratios", () => {
    const sim = tinyCluster(requests, { numWorkers: 2, routerMode: "kv" });
    sim.run();
    // A: 0/2 blocks; B: 2/3 blocks → mean (0 + 2/3) / 2 = 1/3.
    const stats = sim.drainTraffic();
    expect(stats.numReq).toBe(2);
    expect(stats.avgKvHitRate).toBeCloseTo(1 / 3, 12);
  });
});
