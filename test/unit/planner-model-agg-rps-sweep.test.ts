import { describe, expect, it } from "vitest";
import { AggRegressionModel, balancedBatchCap } from "../../src/planner/perf-model/agg.js";
import { aggPlaneModel } from "../support/planner-kit.js";

describe("agg model: findBestEngineAggRps", () => {
  // isl 1000, osl 100, mbt 2048, hit 0.5: eff = 500, ctx = 1050, kv cap = trunc(110000/1050) = 104.
  // Per bs: ppi = 5·bs, wt = 1e-4·5bs + 1e-5·1050bs + 0.003 = 0.011·bs + 0.003 → itl = 11·bs + 3 ms.
  // TTFT uses the RAW per-iteration prefill 10·bs plus the model's avg ISL, discounted:
  // T = (10bs + 1000)·0.5 = 5bs + 500 (one chunk) → f(T, 1050bs) = 0.011·bs + 0.053 → ttft = 11·bs + 53 ms.
  it("stops at the first batch that misses the ITL SLA", () => {
    // itl ≤ 100 → bs ≤ 8 (bs 9 gives 102): rps = 8/(100·0.091), ttft = 141, itl = 91
    const r = aggPlaneModel().findBestEngineAggRps(1000, 100, 2048, 500, 100, 110000, null, 0.5);
    expect(r.itlMs).toBeCloseTo(91, 9);
    expect(r.ttftMs).toBeCloseTo(141, 9);
    expect(r.engineRps).toBeCloseTo(8 / (100 * 0.091), 12);
  });

  it("stops at the first batch that misses the TTFT SLA", () => {
    // ttft ≤ 100 → bs ≤ 4 (bs 5 gives 108): wt = 0.047 → rps = 4/4.7
    const r = aggPlaneModel().findBestEngineAggRps(1000, 100, 2048, 100, 100, 110000, null, 0.5);
    expect(r.ttftMs).toBeCloseTo(97, 9);
    expect(r.itlMs).toBeCloseTo(47, 9);
    expect(r.engineRps).toBeCloseTo(4 / 4.7, 12);
  });

  it("records the batch-1 rate when even bs = 1 misses an SLA", () => {
    // itl SLA 1 ms: bs 1 has wt = 0.014 → (1/(100·0.014), ttft 64, itl 14)
    const r = aggPlaneModel().findBestEngineAggRps(1000, 100, 2048, 500, 1, 110000, null, 0.5);
    expect(r.engineRps).toBeCloseTo(1 / 1.4, 12);
    expect(r.ttftMs).toBeCloseTo(64, 9);
    expect(r.itlMs).toBeCloseTo(14, 9);
  });

  it("limits the batch by the prefill-balance cap computed on the effective ISL", () => {
    // isl 4000, osl 2, mbt 2048, ctx 4001, max_kv 800200 → kv cap 200; SLAs unbounded.
    // hit 0: 4000/(2048 − x) ≤ 2 → x ≤ 48 → bs 48: ppi = min(48·2000, 2048) = 2048, kv = 192048,
    //   wt = 0.2048 + 1.92048 + 0.003 = 2.12828 → rps = 48/(2·2.12828)
    const m = aggPlaneModel();
    const noHit = m.findBestEngineAggRps(4000, 2, 2048, 1e12, 1e12, 800200, null, 0);
    expect(noHit.engineRps).toBeCloseTo(48 / (2 * 2.12828), 12);
    // hit 0.5: eff 2000 → x ≤ 1048, so the kv cap 200 binds: wt = 0.2048 + 8.002 + 0.003 = 8.2098
    const halfHit = m.findBestEngineAggRps(4000, 2, 2048, 1e12, 1e12, 800200, null, 0.5);
    expect(halfHit.engineRps).toBeCloseTo(200 / (2 * 8.2098), 12);
  });

  it("returns zeros without a fit or for non-positive isl, osl or mbt", () => {
    const zero = { engineRps: 0, ttftMs: 0, itlMs: 0 };
    const m = aggPlaneModel();
    expect(m.findBestEngineAggRps(0, 100, 2048, 500, 100)).toEqual(zero);
    expect(m.findBestEngineAggRps(1000, 0, 2048, 500, 100)).toEqual(zero);
    expect(m.findBestEngineAggRps(1000, 100, 0, 500, 100)).toEqual(zero);
    const empty = new AggRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
    expect(empty.findBestEngineAggRps(1000, 100, 2048, 500, 100)).toEqual(zero);
  });
});

describe("balancedBatchCap", () => {
  it("finds the largest x with eff/(mbt − x) ≤ osl", () => {
    // 4000/(2048 − x) ≤ 2 ⇔ x ≤ 48
    expect(balancedBatchCap(4000, 2, 2048, 1000)).toBe(48);
    expect(balancedBatchCap(4000, 2, 2048, 30)).toBe(30);
  });

  it("returns 1 when even x = 1 fails", () => {
    // 10000/(2048 − 1) > 2
    expect(balancedBatchCap(10000, 2, 2048, 500)).toBe(1);
    // mbt 1: room 0 for every x
    expect(balancedBatchCap(10, 100, 1, 1)).toBe(1);
  });
});
