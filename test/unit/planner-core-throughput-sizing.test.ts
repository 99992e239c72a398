import { describe, expect, it } from "vitest";
import { createPlannerState, type PlannerState } from "../../src/planner/planner-state.js";
import { createPredictor } from "../../src/planner/predictors/factory.js";
import { advanceThroughput } from "../../src/planner/throughput-scaling.js";
import { observeTraffic } from "../../src/planner/traffic-observation.js";
import type { TrafficObservation, WorkerCapabilities } from "../../src/planner/types.js";
import { aggBenchmark, decodeBenchmark, prefillBenchmark, state } from "../support/planner-kit.js";

// Regressions (builders): prefill f(x) = 0.001x + 0.002 s; decode f(n, kv) ≈ 0.01 + 1e-6·kv s;
// agg f(p, kv) = 0.001p + 1e-6·kv + 0.005 s. Constant predictors: the forecast is the last observation.
const CAPS: WorkerCapabilities = {
  prefill: { maxNumBatchedTokens: 2048, numGpu: 1 },
  decode: { maxKvTokens: 100_000, maxNumSeqs: 256, maxNumBatchedTokens: 2048, numGpu: 1 },
};

function sla(
  mode: string,
  loadOn: boolean,
  caps: WorkerCapabilities = CAPS,
  extra: Record<string, unknown> = {},
) {
  const s = state(
    {
      mode,
      optimization_target: "sla",
      enable_load_scaling: loadOn,
      load_predictor: "constant",
      itl: 50,
      ...extra,
    },
    caps,
  );
  s.models?.prefill?.loadBenchmarkFpms(prefillBenchmark());
  s.models?.decode?.loadBenchmarkFpms(decodeBenchmark());
  s.models?.agg?.loadBenchmarkFpms(aggBenchmark());
  return s;
}

function tick(s: PlannerState, t: TrafficObservation) {
  observeTraffic(s, t);
  return advanceThroughput(s, t);
}

const win = (
  numReq: number,
  isl: number,
  osl: number,
  kvHitRate: number | null = null,
): TrafficObservation => ({
  durationS: 60,
  numReq,
  isl,
  osl,
  kvHitRate,
});

describe("throughput sizing (docs/planner.md#throughput-scaling)", () => {
  it("prefill: a 5000-token prompt runs as 2048 + 2048 + 904 → 5.006 s per request → 6 replicas for 1 req/s", () => {
    const s = sla("prefill", false);
    // demand = 60/60 = 1 rps; wt = 2·f(2048) + f(904) = 2·2.050 + 0.906 = 5.006 s; ceil(1 · 5.006) = 6
    expect(tick(s, win(60, 5000, 100))).toEqual({ numPrefill: 6, numDecode: null });
    expect(s.diag.throughputDecisionReason).toBe("scale");
    expect(s.diag.engineRpsPrefill).toBeCloseTo(1 / 5.006, 9);
    expect([s.diag.predictedNumReq, s.diag.predictedIsl, s.diag.predictedOsl]).toEqual([60, 5000, 100]);
  });

  it("prefill: the predicted hit rate shrinks the effective ISL — 5000·(1 − 0.5) = 2500 → 2048 + 452 → 3", () => {
    const s = sla("prefill", false);
    // wt = f(2048) + f(452) = 2.050 + 0.454 = 2.504 s → ceil(2.504) = 3
    expect(tick(s, win(60, 5000, 100, 0.5))).toEqual({ numPrefill: 3, numDecode: null });
    expect(s.diag.predictedKvHitRate).toBe(0.5);
  });

  it("prefill with load scaling on sets the floor instead of deciding", () => {
    const s = sla("prefill", true);
    expect(tick(s, win(60, 5000, 100))).toBeNull();
    expect([s.diag.throughputDecisionReason, s.floorPrefill, s.floorDecode]).toEqual([
      "set_lower_bound",
      6,
      1,
    ]);
  });

  it("prefill throughput-only decisions are clamped by the GPU budget (6 × 2 GPUs > 8 → 4)", () => {
    const s = sla("prefill", false, { ...CAPS, prefill: { maxNumBatchedTokens: 2048, numGpu: 2 } });
    expect(tick(s, win(60, 5000, 100))).toEqual({ numPrefill: 4, numDecode: null });
  });

  it("decode: largest batch within the ITL SLA, Little's law, raw ISL even with a hit rate", () => {
    // ctx = 1000 + 200/2 = 1100; ITL(bs) = 10 + 1.1·bs ms ≤ 50 → bs = 36 (49.6 ms); kv cap trunc(1e5/1100) = 90.
    // engine rps = 36 / (200 · 0.0496) = 3.629; demand 500/60 = 8.333 → ceil(2.296) = 3.
    for (const hit of [null, 0.9]) {
      const s = sla("decode", false);
      expect(tick(s, win(500, 1000, 200, hit))).toEqual({ numPrefill: null, numDecode: 3 });
      expect(s.diag.engineRpsDecode).toBeCloseTo(36 / (200 * 0.0496), 6);
    }
  });

  it("disagg: both sides sized and jointly budgeted; reasons scale", () => {
    const s = sla("disagg", false);
    // demand 1 rps; prefill f(1000) = 1.002 s → ceil(1.002) = 2; decode 3.629 rps → ceil(0.276) = 1
    expect(tick(s, win(60, 1000, 200))).toEqual({ numPrefill: 2, numDecode: 1 });
    expect([
      s.diag.throughputDecisionReason,
      s.diag.throughputDecisionReasonPrefill,
      s.diag.throughputDecisionReasonDecode,
    ]).toEqual(["scale", "scale", "scale"]);
  });

  it("disagg with load on sets both floors", () => {
    const s = sla("disagg", true);
    expect(tick(s, win(60, 1000, 200))).toBeNull();
    expect([s.diag.throughputDecisionReason, s.floorPrefill, s.floorDecode]).toEqual([
      "set_lower_bound",
      2,
      1,
    ]);
  });

  it("disagg: a side without a model is model_not_ready and its partner partner_not_ready; no floors move", () => {
    const noDecode = state(
      { mode: "disagg", optimization_target: "sla", enable_load_scaling: true, load_predictor: "constant" },
      CAPS,
    );
    noDecode.models?.prefill?.loadBenchmarkFpms(prefillBenchmark());
    expect(tick(noDecode, win(60, 1000, 200))).toBeNull();
    expect([
      noDecode.diag.throughputDecisionReason,
      noDecode.diag.throughputDecisionReasonPrefill,
      noDecode.diag.throughputDecisionReasonDecode,
    ]).toEqual(["model_not_ready", "partner_not_ready", "model_not_ready"]);
    expect(noDecode.diag.engineRpsPrefill).toBeCloseTo(1 / 1.002, 9); // the ready side was still sized
    expect([noDecode.floorPrefill, noDecode.floorDecode]).toEqual([1, 1]);

    const noPrefill = state(
      { mode: "disagg", optimization_target: "sla", enable_load_scaling: true, load_predictor: "constant" },
      CAPS,
    );
    noPrefill.models?.decode?.loadBenchmarkFpms(decodeBenchmark());
    expect(tick(noPrefill, win(60, 1000, 200))).toBeNull();
    expect([
      noPrefill.diag.throughputDecisionReasonPrefill,
      noPrefill.diag.throughputDecisionReasonDecode,
    ]).toEqual(["model_not_ready", "partner_not_ready"]);
  });

  it("agg: the batch sweep stops at the ITL SLA (bs 17) → 0.8815 req/s per engine → 6 replicas for 5 req/s", () => {
    // isl 1000, osl 100, ctx 1050, kv cap trunc(21 000/1050) = 20. Per bs: prefill per pass 10·bs tokens,
    // wt = 0.01105·bs + 0.005 s → ITL 11.05·bs + 5 ms ≤ 200 → bs ≤ 17; TTFT 1255 + 11.05·bs ms ≤ 2000.
    // rps = 17 / (100 · 0.19285) = 0.88151; demand 300/60 = 5 → ceil(5.672) = 6.
    const caps = { decode: { maxKvTokens: 21_000, maxNumBatchedTokens: 2048, numGpu: 1 } };
    const s = sla("agg", true, caps, { itl: 200, ttft: 2000 });
    expect(tick(s, win(300, 1000, 100))).toBeNull();
    expect([s.diag.throughputDecisionReason, s.floorDecode]).toEqual(["set_lower_bound", 6]);
    expect(s.diag.engineRpsPrefill).toBeCloseTo(17 / 19.285, 9);
    expect(s.diag.engineRpsDecode).toBe(s.diag.engineRpsPrefill);

    const direct = sla("agg", false, caps, { itl: 200, ttft: 2000 });
    expect(tick(direct, win(300, 1000, 100))).toEqual({ numPrefill: null, numDecode: 6 });
  });

  it("agg without a batch size → model_not_ready", () => {
    const s = sla("agg", true, { decode: { maxKvTokens: 21_000 } });
    expect(tick(s, win(300, 1000, 100))).toBeNull();
    expect(s.diag.throughputDecisionReason).toBe("model_not_ready");
  });

  it("sizing never goes below min_endpoint", () => {
    const s = sla("prefill", false, CAPS, { min_endpoint: 2 });
    // 1 req per minute → ceil(0.0167 · 1.002) = 1 → max(1, 2) = 2
    expect(tick(s, win(1, 1000, 100))).toEqual({ numPrefill: 2, numDecode: null });
  });

  it("a failing demand predictor → predict_failed, no decision", () => {
    const s = state({ mode: "prefill", optimization_target: "sla", load_predictor: "constant" }, CAPS);
    const broken = createPlannerState(s.config, CAPS, (name, options) => {
      const p = createPredictor(name, options);
      return {
        ...p,
        addDataPoint: (v: number) => p.addDataPoint(v),
        predictNext: () => {
          throw new Error("fit diverged");
        },
        getLastValue: () => p.getLastValue(),
        resetIdleSkip: () => p.resetIdleSkip(),
        size: 0,
      };
    });
    expect(tick(broken, win(60, 1000, 100))).toBeNull();
    expect(broken.diag.throughputDecisionReason).toBe("predict_failed");
    expect(broken.diag.predictedNumReq).toBeNull();
  });
});
