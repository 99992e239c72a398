import { describe, expect, it } from "vitest";
import { AggRegressionModel } from "../../src/planner/perf-model/agg.js";
import type { ForwardPassMetrics } from "../../src/planner/types.js";

function aggFpm(
  numPrefill: number,
  prefillTokens: number,
  numDecode: number,
  decodeKv: number,
  wallTime: number,
) {
  return {
    workerId: "a0",
    dpRank: 0,
    counterId: 0,
    wallTime,
    scheduled: {
      numPrefillRequests: numPrefill,
      sumPrefillTokens: prefillTokens,
      varPrefillLength: 0,
      sumPrefillKvTokens: 0,
      numDecodeRequests: numDecode,
      sumDecodeKvTokens: decodeKv,
      varDecodeKvTokens: 0,
    },
    queued: {
      numPrefillRequests: 0,
      sumPrefillTokens: 0,
      varPrefillLength: 0,
      numDecodeRequests: 0,
      sumDecodeKvTokens: 0,
      varDecodeKvTokens: 0,
    },
  } satisfies ForwardPassMetrics;
}

/**
 * wall = 1e-4·p + 1e-5·d + 0.003 on five independent passes (p, d, #prefill, #decode):
 * (1000, 0, 1, 0), (2000, 10000, 2, 10), (0, 20000, 0, 20), (500, 5000, 1, 5), (1500, 30000, 1, 15).
 * avg ISL = (1000 + 1000 + 500 + 1500)/4 = 1000; avg decode len = (1000 + 1000 + 1000 + 2000)/4 = 1250;
 * avg prefill tokens per pass = (1000 + 2000 + 0 + 500 + 1500)/5 = 1000.
 */
function aggModel(): AggRegressionModel {
  const m = new AggRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
  const passes: [number, number, number, number][] = [
    [1000, 0, 1, 0],
    [2000, 10000, 2, 10],
    [0, 20000, 0, 20],
    [500, 5000, 1, 5],
    [1500, 30000, 1, 15],
  ];
  for (const [p, d, np, nd] of passes) m.addObservation(aggFpm(np, p, nd, d, 1e-4 * p + 1e-5 * d + 0.003));
  return m;
}

describe("agg model: fit, averages and per-tick estimates", () => {
  it("recovers the plane and the moving averages", () => {
    const m = aggModel();
    const fit = m.coefficients()!;
    expect(fit.coef[0]).toBeCloseTo(1e-4, 13);
    expect(fit.coef[1]).toBeCloseTo(1e-5, 14);
    expect(fit.intercept).toBeCloseTo(0.003, 12);
    expect(m.avgIsl).toBeCloseTo(1000, 9);
    expect(m.avgDecodeLen).toBeCloseTo(1250, 9);
    expect(m.avgPrefillTokens).toBeCloseTo(1000, 9);
  });

  it("estimates ITL with the usual prefill load riding along", () => {
    // f(1000, 8000 + 1000 + 1250) = 0.1 + 0.1025 + 0.003 = 0.2055 s
    expect(aggModel().estimateNextItl(8000, 1000)).toBeCloseTo(0.2055, 12);
  });

  it("estimates TTFT with each chunk paying for the resident decode KV", () => {
    const m = aggModel();
    // no hit: (3000 + 1000) = 4000 → 2048 + 1952: f(2048,10000) + f(1952,10000) = 0.3078 + 0.2982 = 0.606 s
    expect(m.estimateNextTtft(3000, 2048, 10000)).toBeCloseTo(0.606, 12);
    // hit 0.5: 2000 → one chunk f(2000, 10000) = 0.2 + 0.1 + 0.003 = 0.303 s
    expect(m.estimateNextTtft(3000, 2048, 10000, 0.5)).toBeCloseTo(0.303, 12);
    expect(m.estimateNextTtft(3000, 0, 10000)).toBeNull();
  });
});
