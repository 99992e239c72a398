import { describe, expect, it } from "vitest";
import { AggRegressionModel } from "../../src/planner/perf-model/agg.js";
import { DecodeRegressionModel } from "../../src/planner/perf-model/decode.js";
import { PrefillRegressionModel } from "../../src/planner/perf-model/prefill.js";
import { passFpm } from "../support/planner-kit.js";

const fpm = (
  numPrefill: number,
  prefillTokens: number,
  numDecode: number,
  decodeKv: number,
  wallTime: number,
) => passFpm("w0", numPrefill, prefillTokens, numDecode, decodeKv, wallTime);

const options = { maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 };
// Independent (n, kv) grid so an exact plane is recovered exactly.
const decodeGrid: [number, number][] = [
  [1, 100],
  [2, 100],
  [1, 200],
  [2, 200],
  [3, 300],
  [4, 150],
];

function decodeModel(a: number, c: number, b: number): DecodeRegressionModel {
  const m = new DecodeRegressionModel(options);
  for (const [n, kv] of decodeGrid) m.addObservation(fpm(0, 0, n, kv, a * n + c * kv + b));
  return m;
}

describe("regression sign constraints", () => {
  it("rejects a prefill fit with a negative slope", () => {
    const m = new PrefillRegressionModel(options);
    for (const x of [100, 200, 300, 400, 500]) m.addObservation(fpm(1, x, 0, 0, 0.5 - 1e-4 * x));
    expect(m.hasSufficientData()).toBe(true);
    expect(m.isFitted()).toBe(false);
    expect(m.fitRejected()).toBe(true);
    expect(m.coefficients()).toBeNull();
    expect(m.estimateNextTtft(1000, 2048)).toBeNull();
    expect(m.findBestEnginePrefillRps(500, 1000, 2048)).toEqual({ engineRps: 0, ttftMs: 0 });
  });

  it("accepts the fit again once later samples make the slope positive", () => {
    const m = new PrefillRegressionModel({ ...options, maxNumFpmSamples: 5 });
    for (const x of [100, 200, 300, 400, 500]) m.addObservation(fpm(1, x, 0, 0, 0.5 - 1e-4 * x));
    expect(m.isFitted()).toBe(false);
    for (const x of [100, 200, 300, 400, 500]) m.addObservation(fpm(1, x, 0, 0, 0.001 * x));
    expect(m.isFitted()).toBe(true);
    expect(m.coefficients()!.coef[0]).toBeCloseTo(0.001, 12);
  });

  it("rejects an agg fit with a negative decode-KV coefficient", () => {
    const m = new AggRegressionModel(options);
    for (const [p, d] of decodeGrid) m.addObservation(fpm(1, p, 1, d, 1e-4 * p - 1e-5 * d + 0.05));
    expect(m.isFitted()).toBe(false);
    expect(m.estimateNextItl(100, 0)).toBeNull();
  });

  it("rejects a decode fit with a negative KV coefficient", () => {
    expect(decodeModel(1e-4, -1e-6, 0.01).isFitted()).toBe(false);
  });

  it("zeroes a decode request-count coefficient below −1e-6 without refitting the intercept", () => {
    // exact plane wall = −2e-6·n + 1e-5·kv + 0.01 → LS gives (−2e-6, 1e-5, 0.01); n's coefficient → 0 and the
    // intercept stays 0.01 (a refit would give ȳ − 1e-5·kv̄ = 0.01 − 2e-6·n̄ = 0.01 − 2e-6·13/6).
    const fit = decodeModel(-2e-6, 1e-5, 0.01).coefficients();
    expect(fit).not.toBeNull();
    expect(fit!.coef[0]).toBe(0);
    expect(fit!.coef[1]).toBeCloseTo(1e-5, 14);
    expect(fit!.intercept).toBeCloseTo(0.01, 12);
  });

  it("keeps a decode request-count coefficient in (−1e-6, 0)", () => {
    const fit = decodeModel(-5e-7, 1e-5, 0.01).coefficients();
    expect(fit!.coef[0]).toBeCloseTo(-5e-7, 14);
    expect(fit!.coef[0]).toBeLessThan(0);
  });

  it("is not ready below minObservations", () => {
    const m = new PrefillRegressionModel(options);
    for (const x of [100, 200, 300, 400]) m.addObservation(fpm(1, x, 0, 0, 0.001 * x));
    expect(m.hasSufficientData()).toBe(false);
    expect(m.isFitted()).toBe(false);
    expect(m.fitRejected()).toBe(false);
  });
});
