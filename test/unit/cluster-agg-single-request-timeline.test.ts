import { describe, expect, it } from "vitest";
import { decodeMs, prefillMs, tinyCluster } from "../support/cluster-kit.js";

// One request, isl 128 (two full 64-token blocks), osl 3, alone on one default worker
// (docs/design.md#engine-pass, #perf-model):
//   pass 1 at 0: prefill 128 tokens, 2 blocks active → first token at t1 = P(128) + D(2 blocks);
//     generating token 1 makes the sequence 129 long (129 % 64 == 1) → a fresh partial block: 3 active
//   pass 2 at t1: decode only, 3 blocks → t2 = t1 + D(3);  pass 3 at t2: t3 = t2 + D(3), request complete.
describe("aggregated cluster: a single request's timeline", () => {
  const t1 = prefillMs(128) + decodeMs(2);
  const t2 = t1 + decodeMs(3);
  const t3 = t2 + decodeMs(3);

  for (const routerMode of ["kv", "round_robin", "random"] as const) {
    it(`emits the first token after prefill + one decode step, then one token per decode pass (${routerMode})`, () => {
      const sim = tinyCluster([{ isl: 128, osl: 3, hashIds: [1, 2] }], { routerMode });
      sim.run();
      const c = sim.collector;
      expect(c.arrivalMs[0]).toBe(0);
      expect(c.firstAdmitMs[0]).toBe(0);
      expect(c.firstTokenMs[0]).toBeCloseTo(t1, 9);
      expect(c.secondTokenMs[0]).toBeCloseTo(t2, 9);
      expect(c.lastTokenMs[0]).toBeCloseTo(t3, 9);
      expect(c.tokenCount[0]).toBe(3);
      expect(sim.completed).toBe(1);
      expect(sim.isDone()).toBe(true);
    });
  }

  it("queues behind arrival time: a request arriving at 1000 ms starts its prefill at 1000 ms", () => {
    const sim = tinyCluster([{ isl: 128, osl: 3, hashIds: [1, 2], arrivalMs: 1000 }], {});
    sim.run();
    // Arrivals are normalised so the first is at 0 (docs/design.md#workload-driver): one request → arrival 0.
    expect(sim.collector.arrivalMs[0]).toBe(0);
    expect(sim.collector.firstTokenMs[0]).toBeCloseTo(t1, 9);
  });
});
