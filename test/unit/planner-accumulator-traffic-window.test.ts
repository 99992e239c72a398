import { describe, expect, it } from "vitest";
import { TrafficAccumulator } from "../../src/signals/traffic-accumulator.js";

function sampleWindow(): TrafficAccumulator {
  const acc = new TrafficAccumulator(1000);
  acc.onRequest(100, 10, { ttftMs: 50, meanItlMs: 5 });
  acc.onRequest(300, 30, { ttftMs: 0, meanItlMs: 7 }); // TTFT 0 is not a sample
  acc.onRequest(200, 20, null);
  acc.onAdmission(1, 4); // 0.25
  acc.onAdmission(3, 3); // 1.0
  acc.onAdmission(5, 0); // skipped: no prompt blocks
  return acc;
}

describe("TrafficAccumulator", () => {
  it("averages one window by hand", () => {
    const stats = sampleWindow().drain(61000);
    // duration (61000 − 1000)/1000 = 60 s; ISL (100+300+200)/3 = 200; OSL 20;
    // TTFT only the 50 ms sample; ITL (5 + 7)/2 = 6; hit rate mean of ratios (0.25 + 1)/2 = 0.625
    // (a ratio of sums would give 4/7).
    expect(stats).toEqual({
      durationS: 60,
      numReq: 3,
      avgIsl: 200,
      avgOsl: 20,
      avgTtftMs: 50,
      avgItlMs: 6,
      avgKvHitRate: 0.625,
      hitRateCount: 2,
      hitRateSum: 1.25,
      // No arrivals or engine admissions were recorded in this window (completions only).
      arrivedNumReq: 0,
      arrivedAvgIsl: 0,
      arrivedAvgOsl: 0,
      engineReusedTokens: 0,
      engineQueriedTokens: 0,
      ttftBucketCounts: new Array(20).fill(0),
      // Mean ITLs 5 ms (le 5) and 7 ms (le 10): finished requests per mean-ITL bucket.
      itlBucketCounts: [1, 1, ...new Array(17).fill(0)],
    });
  });

  it("resets on drain and reports zeros for an empty window", () => {
    const acc = sampleWindow();
    acc.drain(61000);
    expect(acc.drain(62500)).toEqual({
      durationS: 1.5,
      numReq: 0,
      avgIsl: 0,
      avgOsl: 0,
      avgTtftMs: 0,
      avgItlMs: 0,
      avgKvHitRate: 0,
      hitRateCount: 0,
      hitRateSum: 0,
      arrivedNumReq: 0,
      arrivedAvgIsl: 0,
      arrivedAvgOsl: 0,
      engineReusedTokens: 0,
      engineQueriedTokens: 0,
      ttftBucketCounts: new Array(20).fill(0),
      itlBucketCounts: new Array(19).fill(0),
    });
  });

  it("reports a 0.0 hit rate when requests completed but none was admitted through the router", () => {
    const acc = new TrafficAccumulator();
    acc.onRequest(512, 64, { ttftMs: 20, meanItlMs: 4 });
    const stats = acc.drain(5000);
    expect(stats.durationS).toBe(5);
    expect(stats.avgKvHitRate).toBe(0);
    expect(stats.numReq).toBe(1);
  });

  it("round-trips through its Float64Array layout", () => {
    const a = sampleWindow();
    const exported = a.toFloat64Array();
    expect(Array.from(exported)).toEqual([
      1000,
      3,
      600,
      60,
      50,
      1,
      12,
      2,
      1.25,
      2,
      0,
      0,
      0,
      0,
      0,
      ...new Array(20).fill(0),
      1,
      1,
      ...new Array(17).fill(0),
    ]);
    expect(TrafficAccumulator.fromFloat64Array(exported).drain(61000)).toEqual(sampleWindow().drain(61000));
    expect(() => TrafficAccumulator.fromFloat64Array(new Float64Array(3))).toThrow(RangeError);
  });

  it("merges shards into the window over the union of their requests", () => {
    const left = new TrafficAccumulator(1000);
    left.onRequest(100, 10, { ttftMs: 50, meanItlMs: 5 });
    left.onAdmission(1, 4);
    const right = new TrafficAccumulator(2000);
    right.onRequest(300, 30, { ttftMs: 0, meanItlMs: 7 });
    right.onRequest(200, 20, null);
    right.onAdmission(3, 3);
    right.onAdmission(5, 0);
    left.mergeFrom(right);
    expect(left.drain(61000)).toEqual(sampleWindow().drain(61000));
  });
});
