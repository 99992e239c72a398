import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { TickInput, TrafficObservation } from "../../src/planner/types.js";
import { EMPTY_BACKLOG } from "../../src/signals/backlog.js";
import { passFpm } from "../support/planner-kit.js";

// Exact pass times, so every figure below is worked out by hand (planner-kvsim-sizing-hand-worked.test.ts does the
// sizing arithmetic): prefill f(t) = 10 ms + 10 µs·t; decode g(n, kv) = 5 ms + 1 ms·n + 1 ns·kv (the decode
// regression refuses a KV coefficient of exactly 0; at 5050 KV tokens a request, 1 ns·kv adds 0.5 % per sequence).
const PREFILL_FPMS = [1000, 2000, 3000, 4000, 6000, 8000, 10_000].map((t) =>
  passFpm("b", 1, t, 0, 0, 0.01 + t / 100_000),
);
const DECODE_FPMS = (
  [
    [1, 1000],
    [2, 5000],
    [4, 2000],
    [8, 20_000],
    [16, 3000],
    [32, 40_000],
  ] as const
).map(([n, kv]) => passFpm("b", 0, 0, n, kv, 0.005 + 0.001 * n + 1e-9 * kv));

function planner(overrides: Record<string, unknown> = {}): PlannerStateMachine {
  const config = parsePlannerConfig({
    mode: "disagg",
    optimization_target: "sla",
    scaling_policy: "kvsim",
    ttft: 300,
    itl: 50,
    sla_headroom: 1,
    load_predictor: "constant",
    max_gpu_budget: -1,
    ...overrides,
  });
  const sm = new PlannerStateMachine(config, {
    prefill: { numGpu: 1, maxNumBatchedTokens: 10_000 },
    decode: { numGpu: 1, maxNumSeqs: 256, maxKvTokens: 1_000_000 },
  });
  sm.loadBenchmarkFpms({ prefill: PREFILL_FPMS, decode: DECODE_FPMS });
  return sm;
}

/** 50 arrivals in 5 s (10 req/s), 5000-token prompts, 100 output tokens; the engines found `reused` of 250 000. */
function traffic(reused: number): TrafficObservation {
  return {
    durationS: 5,
    numReq: 0,
    isl: 0,
    osl: 0,
    kvHitRate: null,
    arrivals: { numReq: 50, isl: 5000, osl: 100 },
    engineReusedTokens: reused,
    engineQueriedTokens: reused > 0 ? 250_000 : 0,
    routerKvHitRate: null,
    ttftBucketCounts: new Array(20).fill(0),
  };
}

/**
 * Three load ticks of the same window (the demand estimate needs three before it may move a pool): the first two
 * leave the pools alone ("insufficient_data"), the third decides.
 */
function firstTick(sm: PlannerStateMachine, reused: number): ReturnType<PlannerStateMachine["onTick"]> {
  let tick = sm.initialTick(0);
  // kvsim reads a traffic window on every load tick (5 s), no throughput cadence.
  expect([tick.atS, tick.runLoadScaling, tick.runThroughputScaling, tick.needTrafficMetrics]).toEqual([
    5,
    true,
    false,
    true,
  ]);
  for (let k = 0; ; k++) {
    const input: TickInput = {
      nowS: tick.atS,
      traffic: traffic(reused),
      workerCounts: { readyNumPrefill: 1, readyNumDecode: 1, expectedNumPrefill: 1, expectedNumDecode: 1 },
      fpmObservations: { prefill: new Map(), decode: new Map() },
      backlog: { prefill: EMPTY_BACKLOG, decode: EMPTY_BACKLOG },
    };
    const effects = sm.onTick(tick, input);
    if (k === 2) return effects;
    expect(effects.scaleTo).toBeNull();
    expect(effects.kvsim?.prefill?.reason).toBe("insufficient_data");
    tick = effects.nextTick;
  }
}

describe("scaling_policy: kvsim in the state machine", () => {
  it("scales both pools from arrival-counted demand: 10 req/s of 5000 uncached tokens, 100 output tokens", () => {
    // Prefill: one engine's p95 wait is 0.293 s > 0.300 − 0.060 s own prefill; two engines wait 0.033 s → 2.
    // Decode: one engine cannot keep up (b/(5 ms + 1 ms·b) < 10·100 tokens/s for every b); two decode b = 5
    // each (b = 500·(0.005 + 0.00100505·b) → 5.03), 10.05 + 1.645·√10.05 = 15.3 ≤ 2 · 44 per engine (44 = the
    // batch at 50 ms) → 2.
    const effects = firstTick(planner(), 0);
    expect(effects.scaleTo).toEqual({ numPrefill: 2, numDecode: 2 });
    const k = effects.kvsim;
    expect(k?.arrivalRatePerS).toBe(10);
    expect(k?.prefill).toMatchObject({ current: 1, target: 2, bindingTerm: "demand", reason: "scale_up" });
    expect(k?.decode).toMatchObject({ current: 1, target: 2, bindingTerm: "demand", reason: "scale_up" });
    expect(effects.diagnostics.loadDecisionReason).toBe("scale_up");
  });

  it("discounts prefill work by the reuse the engines realised, unless awareness is off", () => {
    // 80 % of the prompt tokens cached: 1000 uncached per request → 90.9 req/s per engine, a = 0.11: one engine's
    // p95 wait ln(0.11/0.05)/80.9 = 0.0097 s fits → prefill stays at 1. Decode is sized on raw prompts: still 2.
    const aware = firstTick(planner(), 200_000);
    expect(aware.kvsim?.engineKvHitRate).toBe(0.8);
    expect(aware.kvsim?.appliedKvHitRate).toBe(0.8);
    expect(aware.scaleTo).toEqual({ numPrefill: 1, numDecode: 2 });
    const blind = firstTick(planner({ kv_hit_rate_awareness: false }), 200_000);
    expect(blind.kvsim?.engineKvHitRate).toBe(0.8); // still reported
    expect(blind.kvsim?.appliedKvHitRate).toBe(0);
    expect(blind.scaleTo).toEqual({ numPrefill: 2, numDecode: 2 });
  });

  it("holds a scale-down until the lower size has held for the cooldown, and names the reason", () => {
    const sm = planner({ scale_down_cooldown: 30 });
    firstTick(sm, 0); // ordered 2 + 2 at t = 15
    // Then 1 req/s (5 arrivals a window): the pools should come down, but only as the documented brake allows.
    let tick = sm.nextScheduledTick();
    const rows: { t: number; required: number; target: number; reason: string }[] = [];
    let current = 2;
    for (let k = 0; k < 30; k++) {
      const effects = sm.onTick(tick, {
        nowS: tick.atS,
        traffic: { ...traffic(0), arrivals: { numReq: 5, isl: 5000, osl: 100 } },
        workerCounts: {
          readyNumPrefill: current,
          readyNumDecode: 2,
          expectedNumPrefill: current,
          expectedNumDecode: 2,
        },
        fpmObservations: { prefill: new Map(), decode: new Map() },
        backlog: { prefill: EMPTY_BACKLOG, decode: EMPTY_BACKLOG },
      });
      const p = effects.kvsim?.prefill;
      if (p === undefined || p === null) throw new Error("no kvsim record");
      rows.push({ t: tick.atS, required: p.required, target: p.target, reason: p.reason });
      current = p.target;
      tick = effects.nextTick;
    }
    // An oracle of the rule: a lower size counts from the first tick it is asked for (reset whenever the need
    // is back at the current size); the pool moves only once that is 30 s ago and 30 s after the scale-up at 15 s.
    let size = 2;
    let lowSince: number | null = null;
    let highestWhileLow = 0;
    for (const r of rows) {
      if (r.required >= size) {
        lowSince = null;
        expect(r.target).toBe(size);
        continue;
      }
      if (lowSince === null) {
        lowSince = r.t;
        highestWhileLow = r.required;
      } else highestWhileLow = Math.max(highestWhileLow, r.required);
      if (r.t - lowSince >= 30 && r.t - 15 >= 30) {
        expect(r).toMatchObject({ target: highestWhileLow, reason: "scale_down" });
        size = highestWhileLow;
        lowSince = null;
      } else expect(r).toMatchObject({ target: size, reason: "hold_cooldown" });
    }
    // It did come down to one engine, after holding at least once.
    expect(size).toBe(1);
    expect(rows.some((r) => r.reason === "hold_cooldown")).toBe(true);
  });
});
