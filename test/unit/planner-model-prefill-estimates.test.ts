import { describe, expect, it } from "vitest";
import { PrefillRegressionModel } from "../../src/planner/perf-model/prefill.js";
import { passFpm } from "../support/planner-kit.js";

const prefillFpm = (numPrefill: number, prefillTokens: number, wallTime: number) =>
  passFpm("p0", numPrefill, prefillTokens, 0, 0, wallTime);

/** The "P5" regression: five single-request passes on wall = 0.001·tokens + 0.002 (1 ms/token + 2 ms). */
function p5Model(): PrefillRegressionModel {
  const m = new PrefillRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
  for (const x of [500, 1000, 1500, 2000, 2500]) m.addObservation(prefillFpm(1, x, 0.001 * x + 0.002));
  return m;
}

describe("prefill model: fit and moving averages", () => {
  it("fits f(x) = 0.001·x + 0.002 and averages per-request ISL", () => {
    const m = p5Model();
    const fit = m.coefficients()!;
    expect(fit.coef[0]).toBeCloseTo(0.001, 12);
    expect(fit.intercept).toBeCloseTo(0.002, 12);
    // avg ISL = (500 + 1000 + 1500 + 2000 + 2500)/5 = 1500
    expect(m.avgIsl).toBeCloseTo(1500, 9);
  });

  it("floors a predicted pass at 1e-6 s", () => {
    const m = new PrefillRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
    for (const x of [100, 200, 300, 400, 500]) m.addObservation(prefillFpm(1, x, 0.001 * x - 0.05));
    // f(10) = max(1e-6, 0.01 − 0.05)
    expect(m.predictPassSeconds(10)).toBe(1e-6);
    expect(m.predictPassSeconds(100)).toBeCloseTo(0.05, 12);
  });

  it("averages sum/num per pass with several requests", () => {
    const m = new PrefillRegressionModel({ maxNumFpmSamples: 64, minObservations: 1, bucketCount: 16 });
    m.addObservation(prefillFpm(2, 3000, 3)); // 1500 per request
    m.addObservation(prefillFpm(0, 0, 0.001)); // no prefill: no ISL sample
    m.addObservation(prefillFpm(4, 2000, 2)); // 500 per request
    expect(m.avgIsl).toBe(1000);
    // requests per pass: 2, 0, 4 → 2
    expect(m.avgNumPrefill).toBe(2);
  });
});

describe("prefill model: estimateNextTtft (chunked simulation)", () => {
  it("runs backlog plus one average request in mbt-sized chunks", () => {
    // T = 10000 + 1500 = 11500; ceil(11500/2048) = 6 chunks: 5 × 2048 + 1260.
    // f(2048) = 2.050, f(1260) = 1.262 → 5·2.050 + 1.262 = 11.512 s
    expect(p5Model().estimateNextTtft(10000, 2048)).toBeCloseTo(11.512, 9);
  });

  it("discounts both the backlog and the next request by the hit rate (docs/planner.md#worked-example)", () => {
    // (10000 + 1500)·(1 − 0.8) = 2300 → 2048 + 252 → f = 2.050 + 0.254 = 2.304 s
    expect(p5Model().estimateNextTtft(10000, 2048, 0.8)).toBeCloseTo(2.304, 9);
  });

  it("clamps the hit rate at 0.95 and treats NaN/null as no discount", () => {
    const m = p5Model();
    // 11500 · 0.05 = 575 → one chunk f(575) = 0.577
    expect(m.estimateNextTtft(10000, 2048, 0.99)).toBeCloseTo(0.577, 9);
    expect(m.estimateNextTtft(10000, 2048, Number.NaN)).toBeCloseTo(11.512, 9);
    expect(m.estimateNextTtft(10000, 2048, null)).toBeCloseTo(11.512, 9);
    expect(m.estimateNextTtft(10000, 2048, -1)).toBeCloseTo(11.512, 9);
  });

  it("returns 0 for no work and null without a fit or a batch size", () => {
    const m = p5Model();
    expect(m.estimateNextTtft(-1500, 2048)).toBe(0);
    expect(m.estimateNextTtft(1000, 0)).toBeNull();
    const empty = new PrefillRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
    expect(empty.estimateNextTtft(1000, 2048)).toBeNull();
  });
});

describe("prefill model: findBestEnginePrefillRps", () => {
  it("reproduces the worked example (docs/planner.md#worked-example)", () => {
    // effective ISL = 4000·(1 − 0.8) = 800 ≤ mbt 2048 → wt = f(800) = 0.802 s; rps = 1/0.802 = 1.24688…
    const { engineRps, ttftMs } = p5Model().findBestEnginePrefillRps(500, 800, 2048);
    expect(ttftMs).toBeCloseTo(802, 9);
    expect(engineRps).toBeCloseTo(1 / 0.802, 12);
    expect(engineRps).toBeCloseTo(1.2469, 4);
    // demand 500 req / 60 s = 8.333 rps → ceil(8.333/1.2469) = ceil(6.683) = 7 replicas
    expect(Math.ceil(500 / 60 / engineRps)).toBe(7);
  });

  it("splits an ISL above mbt into full chunks plus a remainder", () => {
    // isl 5000, mbt 2048: k = 3, r = 5000 − 4096 = 904 → wt = 2·2.050 + 0.906 = 5.006 s
    const { engineRps, ttftMs } = p5Model().findBestEnginePrefillRps(500, 5000, 2048);
    expect(ttftMs).toBeCloseTo(5006, 9);
    expect(engineRps).toBeCloseTo(1 / 5.006, 12);
  });

  it("treats isl == mbt as a single pass and mbt ≤ 0 as unchunked", () => {
    const m = p5Model();
    expect(m.findBestEnginePrefillRps(500, 2048, 2048).ttftMs).toBeCloseTo(2050, 9);
    // mbt 0: one pass of f(5000) = 5.002 s
    expect(m.findBestEnginePrefillRps(500, 5000, 0).ttftMs).toBeCloseTo(5002, 9);
  });

  it("returns zeros for isl ≤ 0", () => {
    expect(p5Model().findBestEnginePrefillRps(500, 0, 2048)).toEqual({ engineRps: 0, ttftMs: 0 });
  });
});
