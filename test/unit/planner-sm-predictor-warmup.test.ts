import { describe, expect, it } from "vitest";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import { config, tick } from "../support/planner-kit.js";

const SLA = {
  mode: "prefill",
  optimization_target: "sla",
  enable_load_scaling: true,
  load_predictor: "constant",
};
const WINDOWS = [
  { requestCount: 100, avgIsl: 2000, avgOsl: 200 },
  { requestCount: 120, avgIsl: 2100, avgOsl: 210 },
];

describe("predictor warm-up (docs/planner.md#predictor-warm-up)", () => {
  it("warms num_req/isl/osl but never the kv-hit-rate predictor", () => {
    const sm = new PlannerStateMachine(config(SLA), {}, WINDOWS);
    const p = sm.loadPredictors!;
    expect([p.numReq.size, p.isl.size, p.osl.size, p.kvHitRate.size]).toEqual([2, 2, 2, 0]);
    expect([p.numReq.predictNext(), p.isl.predictNext(), p.osl.predictNext()]).toEqual([120, 2100, 210]);
    // First throughput tick without a hit rate: the kv forecast is the empty predictor's 0.
    const d = sm.onTick(tick(60, { throughput: true }), {
      nowS: 60,
      traffic: { durationS: 60, numReq: 130, isl: 2200, osl: 220, kvHitRate: null },
    }).diagnostics;
    expect(d.predictedKvHitRate).toBe(0);
    expect(d.predictedNumReq).toBe(130);
  });

  it("re-arms the idle skip after warm-up, so a post-deployment idle zero is dropped", () => {
    const sm = new PlannerStateMachine(config(SLA), {}, WINDOWS);
    sm.onTick(tick(60, { throughput: true }), {
      nowS: 60,
      traffic: { durationS: 60, numReq: 0, isl: 0, osl: 0, kvHitRate: null },
    });
    const p = sm.loadPredictors!;
    expect(p.numReq.size).toBe(2);
    expect(p.numReq.predictNext()).toBe(120);
  });

  it("easy mode ignores warm-up windows", () => {
    const sm = new PlannerStateMachine(config({ mode: "prefill" }), {}, WINDOWS);
    expect(sm.loadPredictors).toBeNull();
  });
});
