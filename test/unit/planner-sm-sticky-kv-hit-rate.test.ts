import { describe, expect, it } from "vitest";
import type { LoadPredictor } from "../../src/planner/predictors/base.js";
import { createPredictor } from "../../src/planner/predictors/factory.js";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { TrafficObservation } from "../../src/planner/types.js";
import { config, tick } from "../support/planner-kit.js";

const traffic = (kvHitRate: number | null, durationS = 60): TrafficObservation => ({
  durationS,
  numReq: 100,
  isl: 1000,
  osl: 100,
  kvHitRate,
});

const SLA_PREFILL = { optimization_target: "sla", mode: "prefill", load_predictor: "constant" };

describe("sticky KV hit rate (docs/planner.md#sticky-kv-hit-rate)", () => {
  it("load-only: each load tick's raw window value becomes the sticky value; null and NaN are ignored", () => {
    const sm = new PlannerStateMachine(
      config({ ...SLA_PREFILL, enable_load_scaling: true, enable_throughput_scaling: false }),
      {},
    );
    const seen: (number | null)[] = [];
    let t = 5;
    for (const hit of [null, 0.3, null, Number.NaN, 0, 0.6]) {
      sm.onTick(tick(t, { load: true }), { nowS: t, traffic: traffic(hit, 5) });
      seen.push(sm.lastKvHitRate);
      t += 5;
    }
    expect(seen).toEqual([null, 0.3, 0.3, 0.3, 0, 0.6]);
  });

  it("easy mode (load-only) keeps the raw value too", () => {
    const sm = new PlannerStateMachine(config({ mode: "decode" }), {});
    sm.onTick(tick(5, { load: true }), { nowS: 5, traffic: traffic(0.42, 5) });
    expect(sm.lastKvHitRate).toBe(0.42);
  });

  it("mixed: throughput ticks promote the predictor's forecast; an empty predictor forecasts 0", () => {
    const sm = new PlannerStateMachine(config({ ...SLA_PREFILL, enable_load_scaling: true }), {});
    const at = (s: number, hit: number | null, durationS = 60) =>
      sm.onTick(tick(s, { throughput: true }), { nowS: s, traffic: traffic(hit, durationS) }).diagnostics;

    // No hit rate observed yet: the constant predictor is empty → 0, promoted to the sticky value.
    expect(at(60, null).predictedKvHitRate).toBe(0);
    expect(sm.lastKvHitRate).toBe(0);
    // 0.5 fed to the kv predictor, forecast 0.5.
    expect(at(120, 0.5).predictedKvHitRate).toBe(0.5);
    expect(sm.lastKvHitRate).toBe(0.5);
    // NaN is not fed: the forecast stays 0.5.
    expect(at(180, Number.NaN).predictedKvHitRate).toBe(0.5);
    // A zero-length window is fed to the predictor but stops before the hit forecast: sticky unchanged.
    const empty = at(240, 0.9, 0);
    expect([empty.throughputDecisionReason, empty.predictedKvHitRate, sm.lastKvHitRate]).toEqual([
      "no_traffic_data",
      null,
      0.5,
    ]);
    // …and the 0.9 it fed shows at the next throughput tick.
    expect(at(300, null).predictedKvHitRate).toBe(0.9);
    expect(sm.lastKvHitRate).toBe(0.9);
  });

  it("mixed: the window's raw value never touches the sticky value directly", () => {
    const sm = new PlannerStateMachine(config({ ...SLA_PREFILL, enable_load_scaling: true }), {});
    // A load tick that happens to carry traffic feeds the kv predictor, not the sticky value.
    sm.onTick(tick(5, { load: true }), { nowS: 5, traffic: traffic(0.7, 5) });
    expect(sm.lastKvHitRate).toBeNull();
    sm.onTick(tick(60, { throughput: true }), { nowS: 60, traffic: traffic(null) });
    expect(sm.lastKvHitRate).toBe(0.7);
  });

  it("a throughput tick without traffic neither predicts nor changes the sticky value", () => {
    const sm = new PlannerStateMachine(config({ ...SLA_PREFILL, enable_load_scaling: true }), {});
    sm.onTick(tick(60, { throughput: true }), { nowS: 60, traffic: traffic(0.25) });
    const d = sm.onTick(tick(120, { throughput: true }), { nowS: 120, traffic: null }).diagnostics;
    expect([d.throughputDecisionReason, d.predictedKvHitRate, sm.lastKvHitRate]).toEqual([null, null, 0.25]);
  });

  it("a NaN forecast or a failing kv predictor never clobbers the sticky value", () => {
    let kvMode: "ok" | "nan" | "throw" = "ok";
    let made = 0;
    const factory = (
      name: "constant" | "arima" | "kalman" | "holt",
      options: Parameters<typeof createPredictor>[1],
    ) => {
      const inner = createPredictor(name, options);
      made++;
      if (made !== 4) return inner; // num_req, isl, osl, then kv_hit_rate
      const kv: LoadPredictor = {
        addDataPoint: (v) => inner.addDataPoint(v),
        predictNext: () => {
          if (kvMode === "nan") return Number.NaN;
          if (kvMode === "throw") throw new Error("boom");
          return inner.predictNext();
        },
        getLastValue: () => inner.getLastValue(),
        resetIdleSkip: () => inner.resetIdleSkip(),
        get size() {
          return inner.size;
        },
      };
      return kv;
    };
    const sm = new PlannerStateMachine(config({ ...SLA_PREFILL, enable_load_scaling: true }), {}, null, {
      createPredictor: factory,
    });
    sm.onTick(tick(60, { throughput: true }), { nowS: 60, traffic: traffic(0.3) });
    expect(sm.lastKvHitRate).toBe(0.3);
    kvMode = "nan";
    const nan = sm.onTick(tick(120, { throughput: true }), { nowS: 120, traffic: traffic(0.8) }).diagnostics;
    expect(Number.isNaN(nan.predictedKvHitRate)).toBe(true);
    expect(sm.lastKvHitRate).toBe(0.3);
    kvMode = "throw";
    const failed = sm.onTick(tick(180, { throughput: true }), {
      nowS: 180,
      traffic: traffic(0.8),
    }).diagnostics;
    expect(failed.predictedKvHitRate).toBeNull();
    expect(sm.lastKvHitRate).toBe(0.3);
  });
});
