import { describe, expect, it } from "vitest";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import { config, engines, fpm, fpmMap, prefillBenchmark, tick } from "../support/planner-kit.js";

const CAPS = { prefill: { maxNumBatchedTokens: 2048, numGpu: 1 } };
const ONE = { readyNumPrefill: 1, readyNumDecode: null, expectedNumPrefill: null, expectedNumDecode: null };

describe("on_tick ordering and state (docs/planner.md#one-tick)", () => {
  it("resets every diagnostics field each tick (only the floors are carried from state)", () => {
    const sm = new PlannerStateMachine(
      config({ mode: "prefill", optimization_target: "sla", enable_load_scaling: true }),
      CAPS,
    );
    sm.loadBenchmarkFpms({ prefill: prefillBenchmark() });
    const first = sm.onTick(tick(5, { load: true }), {
      nowS: 5,
      workerCounts: ONE,
      fpmObservations: { prefill: engines(1), decode: null },
    }).diagnostics;
    expect(first.estimatedTtftMs).toBeCloseTo(1502, 6); // f(1500) with an empty queue
    const second = sm.onTick(tick(10, { load: true }), { nowS: 10 }).diagnostics;
    expect(second).toEqual({
      estimatedTtftMs: null,
      estimatedItlMs: null,
      predictedNumReq: null,
      predictedIsl: null,
      predictedOsl: null,
      predictedKvHitRate: null,
      engineRpsPrefill: null,
      engineRpsDecode: null,
      throughputLowerBoundPrefill: 1,
      throughputLowerBoundDecode: 1,
      loadDecisionReason: null, // no FPMs → the load rule is not consulted at all
      throughputDecisionReason: null,
      loadDecisionReasonPrefill: null,
      loadDecisionReasonDecode: null,
      throughputDecisionReasonPrefill: null,
      throughputDecisionReasonDecode: null,
    });
  });

  it("uses the throughput decision when load scaling has none (throughput-only deployment)", () => {
    const sm = new PlannerStateMachine(
      config({ mode: "prefill", optimization_target: "sla", load_predictor: "constant" }),
      CAPS,
    );
    sm.loadBenchmarkFpms({ prefill: prefillBenchmark() });
    const e = sm.onTick(tick(60, { load: true, throughput: true }), {
      nowS: 60,
      workerCounts: ONE,
      traffic: { durationS: 60, numReq: 60, isl: 1000, osl: 100, kvHitRate: null },
      fpmObservations: { prefill: engines(1), decode: null },
    });
    // load: disabled; throughput: 1 rps × f(1000) = 1.002 s → 2 replicas
    expect(e.diagnostics.loadDecisionReason).toBe("disabled");
    expect(e.diagnostics.throughputDecisionReason).toBe("scale");
    expect(e.scaleTo).toEqual({ numPrefill: 2, numDecode: null });
  });

  it("load ticks feed live FPMs to the regression before deciding, even with load scaling off", () => {
    const sm = new PlannerStateMachine(config({ mode: "prefill", optimization_target: "sla" }), CAPS);
    const model = sm.regressionModels?.prefill;
    for (let i = 1; i <= 5; i++) {
      const live = fpm("p0", {
        wallTime: 0.001 * 1000 * i + 0.002,
        schedPrefillTokens: 1000 * i,
        schedPrefillRequests: 1,
      });
      expect(model?.hasSufficientData()).toBe(false);
      sm.onTick(tick(5 * i, { load: true }), {
        nowS: 5 * i,
        fpmObservations: { prefill: fpmMap(live), decode: null },
      });
    }
    expect(model?.hasSufficientData()).toBe(true); // 5 samples = load_min_observations
  });

  it("ready counts are kept when reported as null; expected counts are always overwritten", () => {
    const sm = new PlannerStateMachine(config({ mode: "disagg" }), {});
    sm.onTick(tick(5, {}), {
      nowS: 5,
      workerCounts: { readyNumPrefill: 2, readyNumDecode: 3, expectedNumPrefill: 4, expectedNumDecode: 3 },
    });
    sm.onTick(tick(10, {}), {
      nowS: 10,
      workerCounts: {
        readyNumPrefill: null,
        readyNumDecode: 5,
        expectedNumPrefill: null,
        expectedNumDecode: null,
      },
    });
    expect([sm.numPrefillWorkers, sm.numDecodeWorkers, sm.expectedNumPrefill, sm.expectedNumDecode]).toEqual([
      2,
      5,
      null,
      null,
    ]);
  });

  it("easy mode builds no models and no predictors and ignores benchmark FPMs", () => {
    const sm = new PlannerStateMachine(config({ mode: "agg" }), {});
    sm.loadBenchmarkFpms({ decode: prefillBenchmark() });
    expect(sm.regressionModels).toBeNull();
    expect(sm.loadPredictors).toBeNull();
  });

  it("rejects impossible capabilities by field", () => {
    expect(() => new PlannerStateMachine(config({}), { decode: { numGpu: 0 } })).toThrow(
      'planner capabilities: field "decode.numGpu": must be a positive integer (got 0)',
    );
    expect(() => new PlannerStateMachine(config({}), { prefill: { maxKvTokens: -1 } })).toThrow(
      /prefill\.maxKvTokens/,
    );
  });
});
