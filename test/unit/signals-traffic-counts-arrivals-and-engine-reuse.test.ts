import { describe, expect, it } from "vitest";
import { countWithinMs } from "../../src/signals/latency-buckets.js";
import { TrafficAccumulator } from "../../src/signals/traffic-accumulator.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

describe("traffic window: arrivals and realised reuse beside the reference's completion counts", () => {
  it("averages arrivals and sums engine reuse, resets on drain, and merges cells by adding", () => {
    const a = new TrafficAccumulator(1000);
    a.onArrival(100, 10);
    a.onArrival(300, 30);
    a.onEngineAdmit(64, 100);
    a.onEngineAdmit(0, 300);
    const b = new TrafficAccumulator(500);
    b.onArrival(200, 20);
    b.onEngineAdmit(128, 200);
    a.mergeFrom(TrafficAccumulator.fromFloat64Array(b.toFloat64Array()));
    const s = a.drain(3000);
    expect(s.durationS).toBe(2.5); // the merged window starts at the earlier start, 500 ms
    expect(s.arrivedNumReq).toBe(3);
    expect(s.arrivedAvgIsl).toBe(200); // (100 + 300 + 200) / 3
    expect(s.arrivedAvgOsl).toBe(20);
    expect(s.engineReusedTokens).toBe(192);
    expect(s.engineQueriedTokens).toBe(600);
    expect(s.numReq).toBe(0); // nothing completed: the reference count stays 0
    const next = a.drain(4000);
    expect([next.arrivedNumReq, next.arrivedAvgIsl, next.engineReusedTokens]).toEqual([0, 0, 0]);
  });

  it("in a replay, counts every request at its release and the engines' cached prompt tokens", () => {
    // B repeats A's two blocks after A has finished: the engine finds 128 of B's 192 tokens cached.
    const trace = tinyTrace(
      [
        { isl: 128, osl: 2, hashIds: [1, 2], arrivalMs: 0 },
        { isl: 192, osl: 2, hashIds: [1, 2, 3], arrivalMs: 1000 },
      ],
      64,
    );
    const sim = new ClusterSimulation(trace, resolveClusterOptions({ numWorkers: 1 }, 64));
    sim.advanceTo(500);
    const first = sim.drainTraffic();
    expect([first.arrivedNumReq, first.engineReusedTokens, first.engineQueriedTokens]).toEqual([1, 0, 128]);
    sim.run();
    const second = sim.drainTraffic();
    expect([second.arrivedNumReq, second.arrivedAvgIsl]).toEqual([1, 192]);
    expect([second.engineReusedTokens, second.engineQueriedTokens]).toEqual([128, 192]);
  });
});

describe("TTFT buckets: first tokens counted as a frontend histogram would", () => {
  it("counts each first token in the first bucket whose bound is at least its TTFT", () => {
    const a = new TrafficAccumulator(0);
    for (const ms of [10, 25, 26, 1000, 1001, 2000, 70_000]) a.onFirstToken(ms);
    const c = a.drain(1000).ttftBucketCounts;
    // bounds 25, 50, …, 1000, 1500, 2000, …, 60000, +Inf
    expect(c[0]).toBe(2); // 10, 25 (le 25)
    expect(c[1]).toBe(1); // 26
    expect(c[6]).toBe(1); // 1000 (le 1000)
    expect(c[7]).toBe(1); // 1001 (le 1500)
    expect(c[8]).toBe(1); // 2000 (le 2000)
    expect(c[19]).toBe(1); // +Inf
    expect(c.reduce((x, y) => x + y, 0)).toBe(7);
  });

  it("estimates the first tokens within an SLA, interpolating inside the straddling bucket", () => {
    const counts = new Array(20).fill(0);
    counts[6] = 10; // (750, 1000]
    counts[7] = 8; // (1000, 1500]
    counts[19] = 5; // +Inf
    expect(countWithinMs(counts, 1000)).toBe(10);
    expect(countWithinMs(counts, 1250)).toBe(10 + 8 * 0.5);
    expect(countWithinMs(counts, 875)).toBe(5); // half of (750, 1000]
    expect(countWithinMs(counts, 1e9)).toBe(18); // never the +Inf bucket
  });

  it("in a replay, counts every request's first token once", () => {
    const trace = tinyTrace(
      [
        { isl: 64, osl: 1, hashIds: [1], arrivalMs: 0 },
        { isl: 64, osl: 3, hashIds: [2], arrivalMs: 0 },
      ],
      64,
    );
    const sim = new ClusterSimulation(trace, resolveClusterOptions({ numWorkers: 1 }, 64));
    sim.run();
    expect(sim.drainTraffic().ttftBucketCounts.reduce((x, y) => x + y, 0)).toBe(2);
  });
});
