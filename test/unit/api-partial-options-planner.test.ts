import { describe, expect, it } from "vitest";
import { defaultPlannerConfig, parsePlannerConfig, resolvePlannerConfig } from "../../src/planner/config.js";
import { AggRegressionModel } from "../../src/planner/perf-model/agg.js";
import { DecodeRegressionModel } from "../../src/planner/perf-model/decode.js";
import { PrefillRegressionModel } from "../../src/planner/perf-model/prefill.js";
import { ArimaPredictor } from "../../src/planner/predictors/arima.js";
import { ConstantPredictor } from "../../src/planner/predictors/constant.js";
import { createPredictor } from "../../src/planner/predictors/factory.js";
import { HoltPredictor } from "../../src/planner/predictors/holt.js";
import { KalmanPredictor } from "../../src/planner/predictors/kalman.js";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { ScheduledTick } from "../../src/planner/types.js";
import { InputError } from "../../src/util/errors.js";
import { passFpm } from "../support/planner-kit.js";

/** Public planner constructors take partial options: left-out fields get the documented defaults, bad ones throw. */

function feed<T extends { addDataPoint(v: number): void }>(p: T, values: readonly number[]): T {
  for (const v of values) p.addDataPoint(v);
  return p;
}

describe("predictors built from partial options", () => {
  it("KalmanPredictor({}) forecasts with q_level 1, q_trend 0.1, r 10 (hand-worked, three points)", () => {
    // Documented defaults: Q = diag(1, 0.1), R = 10, P0 = 1000·I, first point sets x = [10, 0].
    // Point 20: predict P = [[1000+1000+1, 1000], [1000, 1000+0.1]] = [[2001, 1000], [1000, 1000.1]];
    //   S = 2011, K = [2001/2011, 1000/2011], innovation 10 →
    //   level = 10 + 20010/2011, trend = 10000/2011,
    //   P = (I − KH)P = [[10·2001/2011, 10·1000/2011], [·, 1000.1 − 1000²/2011]].
    const p00 = 20010 / 2011;
    const p01 = 10000 / 2011;
    const p11 = 1000.1 - 1e6 / 2011;
    const level1 = 10 + 20010 / 2011;
    const trend1 = 10000 / 2011;
    // Point 30: predict level = level1 + trend1, P = FPFᵀ + Q.
    const predictedLevel = level1 + trend1;
    const q00 = p00 + 2 * p01 + p11 + 1;
    const q01 = p01 + p11;
    const s = q00 + 10;
    const innovation = 30 - predictedLevel;
    const level2 = predictedLevel + (q00 / s) * innovation;
    const trend2 = trend1 + (q01 / s) * innovation;
    const expected = level2 + trend2; // next predict: level + trend

    const k = feed(new KalmanPredictor({}), [10, 20, 30]);
    expect(Number.isFinite(k.predictNext())).toBe(true);
    expect(k.predictNext()).toBeCloseTo(expected, 9);
    // No options at all, and the factory, are the same filter.
    expect(feed(new KalmanPredictor(), [10, 20, 30]).predictNext()).toBe(k.predictNext());
    expect(feed(createPredictor("kalman"), [10, 20, 30]).predictNext()).toBe(k.predictNext());
    // A partial object overrides only what it names: r = 1 gives a different, still finite, forecast.
    const r1 = feed(new KalmanPredictor({ kalmanR: 1 }), [10, 20, 30]).predictNext();
    expect(Number.isFinite(r1)).toBe(true);
    expect(r1).not.toBeCloseTo(expected, 3);
  });

  it("HoltPredictor({}) fits a clean ramp and continues it; Arima and Constant repeat a flat series", () => {
    // A line 10, 12, …, 20 is fitted exactly by Holt's trend: next value 22.
    expect(feed(new HoltPredictor({}), [10, 12, 14, 16, 18, 20]).predictNext()).toBeCloseTo(22, 6);
    // Fewer than 5 points → the last value; a constant series → that value.
    expect(feed(new ArimaPredictor({}), [7, 7, 7, 7, 7, 7]).predictNext()).toBe(7);
    expect(feed(new ConstantPredictor({}), [3, 9]).predictNext()).toBe(9);
    expect(feed(createPredictor("holt"), [5, 6]).predictNext()).toBe(6);
  });

  it("takes its defaults from the same place as the planner config parser", () => {
    const c = defaultPlannerConfig();
    expect([c.kalmanQLevel, c.kalmanQTrend, c.kalmanR, c.kalmanMinPoints, c.prophetWindowSize]).toEqual([
      1, 0.1, 10, 5, 50,
    ]);
    expect([c.maxNumFpmSamples, c.loadMinObservations, c.fpmSampleBucketSize]).toEqual([64, 5, 16]);
  });

  it("throws a RangeError naming the field and rule for a bad value, a TypeError for an unknown key or name", () => {
    expect(() => new KalmanPredictor({ kalmanR: Number.NaN })).toThrow(
      /KalmanPredictor: kalmanR must be a finite number >= 0 \(got NaN\)/,
    );
    expect(() => new KalmanPredictor({ kalmanQLevel: -1 })).toThrow(RangeError);
    expect(() => new HoltPredictor({ windowSize: 0 })).toThrow(/windowSize must be an integer >= 1/);
    expect(() => new ArimaPredictor({ log1p: "yes" as unknown as boolean })).toThrow(TypeError);
    expect(() => new KalmanPredictor({ kalmanRr: 1 } as object)).toThrow(/unknown option "kalmanRr"/);
    expect(() => createPredictor("prophet" as "holt")).toThrow(/unknown predictor "prophet"/);
  });
});

describe("regression perf models built from partial options", () => {
  it("fit only from the fifth sample on (default minObservations 5)", () => {
    for (const make of [
      () => new PrefillRegressionModel({}),
      () => new DecodeRegressionModel(),
      () => new AggRegressionModel({}),
    ]) {
      const m = make();
      for (const x of [500, 1000, 1500, 2000]) m.addObservation(passFpm("w0", 1, x, 1, x, 0.001 * x + 0.002));
      expect(m.isFitted()).toBe(false);
      m.addObservation(passFpm("w0", 1, 2500, 1, 2500, 0.001 * 2500 + 0.002));
      expect(m.isFitted()).toBe(true);
    }
  });

  it("throw a RangeError naming the field for a bad value", () => {
    expect(() => new PrefillRegressionModel({ maxNumFpmSamples: 0 })).toThrow(
      /PrefillRegressionModel: maxNumFpmSamples must be an integer >= 1 \(got 0\)/,
    );
    expect(() => new AggRegressionModel({ bucketCount: Number.NaN })).toThrow(/bucketCount/);
  });
});

/** Ticks from 0 up to `untilS`, feeding nothing; the ones that run throughput scaling. */
function throughputTickTimes(sm: PlannerStateMachine, untilS: number): number[] {
  const times: number[] = [];
  let tick: ScheduledTick = sm.initialTick(0);
  while (tick.atS !== null && tick.atS <= untilS) {
    if (tick.runThroughputScaling) times.push(tick.atS);
    tick = sm.onTick(tick, { nowS: tick.atS }).nextTick;
  }
  return times;
}

describe("PlannerStateMachine and runPlannerReplay configs from partial objects", () => {
  it("PlannerStateMachine({}) runs on the file defaults: load ticks every 5 s, no throughput ticks", () => {
    const sm = new PlannerStateMachine({});
    expect(sm.initialTick(0).atS).toBe(5);
    expect(throughputTickTimes(sm, 400)).toEqual([]);
  });

  it("a partial config resolves like a file with the same keys (sla: throughput scaling every 180 s)", () => {
    // File defaults for sla: enable_throughput_scaling true, throughput_adjustment_interval 180 s.
    const sm = new PlannerStateMachine({ optimizationTarget: "sla", mode: "agg" }, { decode: { numGpu: 1 } });
    expect(throughputTickTimes(sm, 400)).toEqual([180, 360]);
    expect(resolvePlannerConfig({ optimizationTarget: "sla", mode: "agg" })).toEqual(
      parsePlannerConfig({ optimization_target: "sla", mode: "agg" }),
    );
  });

  it("names the camelCase field and its file key in errors; an unknown field is a TypeError", () => {
    expect(() => new PlannerStateMachine({ ttftMs: -1 })).toThrow(InputError);
    expect(() => new PlannerStateMachine({ ttftMs: -1 })).toThrow(
      'PlannerStateMachine config: field "ttftMs" (file key "ttft"): must be in (0, 1000000000] (got -1)',
    );
    expect(() => new PlannerStateMachine({ ttft: 500 } as object)).toThrow(TypeError);
    expect(() => resolvePlannerConfig({ kalmanR: Number.NaN })).toThrow(/field "kalmanR"/);
  });
});
