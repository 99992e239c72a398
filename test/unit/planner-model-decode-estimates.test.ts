import { describe, expect, it } from "vitest";
import { DecodeRegressionModel } from "../../src/planner/perf-model/decode.js";
import { passFpm } from "../support/planner-kit.js";

const decodeFpm = (numDecode: number, decodeKv: number, wallTime: number) =>
  passFpm("d0", 0, 0, numDecode, decodeKv, wallTime);

const options = { maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 };

/** wall = 0.0002·n + 1e-5·kv + 0.005 on independent points. */
function planeModel(): DecodeRegressionModel {
  const m = new DecodeRegressionModel(options);
  const points: [number, number][] = [
    [1, 1000],
    [2, 1000],
    [1, 3000],
    [4, 8000],
    [8, 4000],
  ];
  for (const [n, kv] of points) m.addObservation(decodeFpm(n, kv, 0.0002 * n + 1e-5 * kv + 0.005));
  return m;
}

describe("decode model: fit and averages", () => {
  it("recovers the plane and tracks per-request KV, requests per pass and the KV peak", () => {
    const m = planeModel();
    const fit = m.coefficients()!;
    expect(fit.coef[0]).toBeCloseTo(0.0002, 12);
    expect(fit.coef[1]).toBeCloseTo(1e-5, 14);
    expect(fit.intercept).toBeCloseTo(0.005, 12);
    // kv/n: 1000, 500, 3000, 2000, 500 → 1400; n: 1, 2, 1, 4, 8 → 3.2; max kv 8000
    expect(m.avgDecodeLen).toBeCloseTo(1400, 9);
    expect(m.avgNumDecode).toBeCloseTo(3.2, 12);
    expect(m.maxObservedKvTokens).toBe(8000);
  });

  it("fits the notes.md collinear sweep to the minimum-norm answer", () => {
    const m = new DecodeRegressionModel(options);
    for (let n = 5; n <= 40; n += 5) m.addObservation(decodeFpm(n, 1000 * n, 1e-5 * 1000 * n + 0.001));
    const fit = m.coefficients()!;
    expect(fit.coef[0]).toBeCloseTo(9.99999e-9, 14);
    expect(fit.coef[1]).toBeCloseTo(9.99999e-6, 11);
    expect(fit.intercept).toBeCloseTo(0.001, 12);
  });
});

describe("decode model: estimateNextItl", () => {
  it("adds one average request to the current KV load", () => {
    // f(3.2 + 1, 5000 + 1000 + 1400) = 0.0002·4.2 + 1e-5·7400 + 0.005 = 0.00084 + 0.074 + 0.005 = 0.07984 s
    expect(planeModel().estimateNextItl(5000, 1000)).toBeCloseTo(0.07984, 12);
  });

  it("is null without a fit", () => {
    expect(new DecodeRegressionModel(options).estimateNextItl(1000, 0)).toBeNull();
  });
});

describe("decode model: findBestEngineDecodeRps", () => {
  // ctx = isl 1000 + osl 200 / 2 = 1100; f(bs, bs·1100) = 0.0002·bs + 0.011·bs + 0.005 = 0.0112·bs + 0.005
  it("binary-searches the largest batch under the ITL SLA and applies Little's law", () => {
    // kv cap = trunc(100000/1100) = 90; 0.0112·bs + 0.005 ≤ 0.050 → bs ≤ 4.017 → 4;
    // wt = 0.0498 → rps = 4/(200·0.0498) = 0.4016064…
    const r = planeModel().findBestEngineDecodeRps(50, 1100, 200, 100000, null);
    expect(r.itlMs).toBeCloseTo(49.8, 9);
    expect(r.engineRps).toBeCloseTo(4 / (200 * 0.0498), 12);
  });

  it("caps the batch by max_num_seqs", () => {
    // bs 3: wt = 0.0386 → rps = 3/(200·0.0386)
    const r = planeModel().findBestEngineDecodeRps(50, 1100, 200, 100000, 3);
    expect(r.itlMs).toBeCloseTo(38.6, 9);
    expect(r.engineRps).toBeCloseTo(3 / (200 * 0.0386), 12);
  });

  it("caps the batch by observed KV when the engine's KV capacity is unknown", () => {
    // max observed kv 8000 → trunc(8000/1100) = 7; SLA 200 ms allows 17 → 7: wt = 0.0834
    const r = planeModel().findBestEngineDecodeRps(200, 1100, 200, null, null);
    expect(r.itlMs).toBeCloseTo(83.4, 9);
    expect(r.engineRps).toBeCloseTo(7 / (200 * 0.0834), 12);
  });

  it("falls back to a batch cap of 256 when no KV was ever observed", () => {
    // kv always 0: wall = 0.001·n + 0.005 (kv coefficient 0); SLA 1000 ms allows 995 → 256: wt = 0.261
    const m = new DecodeRegressionModel(options);
    for (let n = 1; n <= 5; n++) m.addObservation(decodeFpm(n, 0, 0.001 * n + 0.005));
    const r = m.findBestEngineDecodeRps(1000, 100, 10, null, null);
    expect(r.itlMs).toBeCloseTo(261, 9);
    expect(r.engineRps).toBeCloseTo(256 / (10 * 0.261), 9);
  });

  it("returns the batch-1 rate when even one request misses the SLA", () => {
    // f(1, 1100) = 0.0162 s = 16.2 ms > 10 ms → rps = 1/(200·0.0162)
    const r = planeModel().findBestEngineDecodeRps(10, 1100, 200, 100000, null);
    expect(r.itlMs).toBeCloseTo(16.2, 9);
    expect(r.engineRps).toBeCloseTo(1 / (200 * 0.0162), 12);
  });

  it("returns zeros for non-positive inputs or without a fit", () => {
    const m = planeModel();
    const zero = { engineRps: 0, itlMs: 0 };
    expect(m.findBestEngineDecodeRps(50, 0, 200, 100000, null)).toEqual(zero);
    expect(m.findBestEngineDecodeRps(50, 1100, 0, 100000, null)).toEqual(zero);
    expect(m.findBestEngineDecodeRps(0, 1100, 200, 100000, null)).toEqual(zero);
    expect(new DecodeRegressionModel(options).findBestEngineDecodeRps(50, 1100, 200, null, null)).toEqual(
      zero,
    );
  });
});
