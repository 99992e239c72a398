import { describe, expect, it } from "vitest";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { PlannerEffects, ScheduledTick, TickInput } from "../../src/planner/types.js";
import { config, fpm, fpmMap, prefillBenchmark } from "../support/planner-kit.js";

// The worked example (docs/planner.md#worked-example): prefill-only, SLA target, load (5 s) + throughput (60
// s), constant predictor, regression f(x) = 0.001x + 0.002 s (avg ISL 1500), mbt 2048, TTFT SLA 500 ms.
const MIXED_PREFILL = {
  mode: "prefill",
  optimization_target: "sla",
  enable_load_scaling: true,
  enable_throughput_scaling: true,
  load_adjustment_interval: 5,
  throughput_adjustment_interval: 60,
  load_predictor: "constant",
};

const WORKERS = {
  readyNumPrefill: 1,
  readyNumDecode: null,
  expectedNumPrefill: null,
  expectedNumDecode: null,
};
const TRAFFIC = { durationS: 60, numReq: 500, isl: 4000, osl: 150, kvHitRate: 0.8 };
const QUEUE_10K = { prefill: fpmMap(fpm("p0", { queuedPrefillTokens: 10_000 })), decode: null };

function machine(budget = 8): PlannerStateMachine {
  const sm = new PlannerStateMachine(config({ ...MIXED_PREFILL, max_gpu_budget: budget }), {
    prefill: { maxNumBatchedTokens: 2048, numGpu: 1 },
  });
  sm.loadBenchmarkFpms({ prefill: prefillBenchmark() });
  return sm;
}

/** Runs the schedule from 0, giving each tick `inputAt(tick)`; returns the effects by tick time. */
function runUntil(
  sm: PlannerStateMachine,
  untilS: number,
  inputAt: (t: ScheduledTick) => Omit<TickInput, "nowS">,
) {
  const effects = new Map<number, PlannerEffects>();
  let next = sm.initialTick(0);
  while (next.atS <= untilS) {
    const e = sm.onTick(next, { nowS: next.atS, ...inputAt(next) });
    effects.set(next.atS, e);
    next = e.nextTick;
  }
  return effects;
}

describe("worked example: floor 7 via set_lower_bound, then a load tick lifted to it", () => {
  it("t = 60 sets floor_p = ceil(8.333 / 1.2469) = 7 from an effective ISL of 800; t = 65 scales 1 → 7", () => {
    const sm = machine();
    const effects = runUntil(sm, 65, (t) => ({
      workerCounts: WORKERS,
      traffic: t.runThroughputScaling ? TRAFFIC : null,
      fpmObservations: t.atS === 65 ? QUEUE_10K : null,
    }));
    const at60 = effects.get(60)!;
    // demand 500/60 = 8.333 rps; eff ISL 4000·0.2 = 800 → wt = f(800) = 0.802 s → 1.2469 rps → ceil(6.683) = 7
    expect(at60.scaleTo).toBeNull();
    expect(at60.diagnostics).toMatchObject({
      throughputDecisionReason: "set_lower_bound",
      predictedNumReq: 500,
      predictedIsl: 4000,
      predictedOsl: 150,
      predictedKvHitRate: 0.8,
      throughputLowerBoundPrefill: 7,
      throughputLowerBoundDecode: 1,
    });
    expect(at60.diagnostics.engineRpsPrefill).toBeCloseTo(1 / 0.802, 9);
    expect(sm.lastKvHitRate).toBe(0.8);

    const at65 = effects.get(65)!;
    // (10 000 + 1500)·(1 − 0.8) = 2300 tokens → 2048 + 252 → f(2048) + f(252) = 2.050 + 0.254 = 2.304 s
    // > 0.5 s → rule says 1 + 1 = 2; the floor lifts it to 7; 7 GPUs ≤ 8.
    expect(at65.diagnostics.estimatedTtftMs).toBeCloseTo(2304, 6);
    expect(at65.scaleTo).toEqual({ numPrefill: 7, numDecode: null });
    expect(at65.diagnostics.loadDecisionReason).toBe("scale_up");
    expect(at65.diagnostics.throughputLowerBoundPrefill).toBe(7);
  });

  it("the GPU budget clamps the lifted count: budget 4 → 4", () => {
    const sm = machine(4);
    const effects = runUntil(sm, 65, (t) => ({
      workerCounts: WORKERS,
      traffic: t.runThroughputScaling ? TRAFFIC : null,
      fpmObservations: t.atS === 65 ? QUEUE_10K : null,
    }));
    expect(effects.get(65)!.scaleTo).toEqual({ numPrefill: 4, numDecode: null });
  });

  it("on the merged tick the fresh floor is already visible to the load pass (throughput runs first)", () => {
    const sm = machine();
    const effects = runUntil(sm, 60, (t) => ({
      workerCounts: WORKERS,
      traffic: t.runThroughputScaling ? TRAFFIC : null,
      fpmObservations: t.atS === 60 ? QUEUE_10K : null,
    }));
    const at60 = effects.get(60)!;
    expect(at60.scaleTo).toEqual({ numPrefill: 7, numDecode: null });
    expect(at60.diagnostics.throughputDecisionReason).toBe("set_lower_bound");
    expect(at60.diagnostics.loadDecisionReason).toBe("scale_up");
  });

  it("single mode applies no floor when the load rule has no opinion", () => {
    const sm = machine();
    // A queue that puts TTFT inside the dead band [400, 500] ms: (q + 1500)·0.2 tokens with f ≈ 0.45 s →
    // 0.001·T + 0.002 = 0.45 → T = 448 → q = 740.
    const effects = runUntil(sm, 65, (t) => ({
      workerCounts: WORKERS,
      traffic: t.runThroughputScaling ? TRAFFIC : null,
      fpmObservations:
        t.atS === 65 ? { prefill: fpmMap(fpm("p0", { queuedPrefillTokens: 740 })), decode: null } : null,
    }));
    const at65 = effects.get(65)!;
    expect(at65.diagnostics.estimatedTtftMs).toBeCloseTo(450, 6);
    expect(at65.diagnostics.loadDecisionReason).toBe("no_change");
    expect(at65.scaleTo).toBeNull(); // floor 7 not applied
  });
});
