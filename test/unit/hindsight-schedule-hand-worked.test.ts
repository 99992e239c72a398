import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";
import { runPlannerReplay } from "../support/planner-replay-kit.js";

// Constant pass costs: any prefill 10 ms, any decode step 10 ms (one-point interpolation tables), one sequence per
// worker at a time, round-robin routing. A request of n output tokens alone on a worker: pass 1 (prefill + first
// token) [0, 20] ms, then one token per 10 ms → first token at +20 ms, done at +20 + 10(n − 1) = +110 ms for n = 10.
const CONSTANT_10MS = {
  type: "interpolated",
  table: {
    prefill_isl: [0],
    prefill_ttft_ms: [10],
    decode_active_kv_tokens: [0],
    decode_context_length: [0],
    decode_itl: [[10]],
  },
};

// 1 s windows. Window 0: one request at 0. Window 1: three at 1000 ms. Window 2: two at 2000 ms. TTFT SLA 100 ms
// (ITL 1 s: never binding), every request must meet it (target 1). A second request queued on the same worker
// waits 110 ms for the first → TTFT 130 ms > 100: window 1 needs 3 workers, window 2 needs 2, window 0 needs 1.
function trace() {
  const req = (arrivalMs: number, id: number) => ({ isl: 64, osl: 10, hashIds: [id], arrivalMs });
  return tinyTrace([req(0, 1), req(1000, 2), req(1000, 3), req(1000, 4), req(2000, 5), req(2000, 6)], 64);
}

function options(startupS: number) {
  return resolveClusterOptions(
    {
      mode: "agg",
      numWorkers: 1,
      routerMode: "round_robin",
      engineArgs: {
        num_gpu_blocks: 64,
        block_size: 64,
        max_num_seqs: 1,
        perf_model: CONSTANT_10MS,
        startup_time: startupS,
      },
    },
    64,
  );
}

const config = parsePlannerConfig({
  mode: "agg",
  optimization_target: "sla",
  scaling_policy: "hindsight",
  ttft: 100,
  itl: 1000,
  sla_attainment_target: 1,
  hindsight_window: 1,
  max_gpu_budget: 4,
});

describe("hindsight schedule on a hand-worked trace", () => {
  it("gives each window the fewest workers that serve its arrivals within the SLA", () => {
    const run = runPlannerReplay(trace(), options(0), { config, traceName: "tiny" });
    const p = run.planner;
    const h = p.hindsight;
    expect(h?.windows.map((w) => [w.start_s, w.decode, w.reason])).toEqual([
      [0, 1, "hindsight"],
      [1, 3, "hindsight"],
      [2, 2, "hindsight"],
    ]);
    expect(h?.chosen).toBe("schedule");
    expect(p.policy?.name).toBe("hindsight");
    expect(p.policy?.origin).toBe("kvsim");
    expect(p.scaling_events).toEqual([
      { at_s: 1, component: "agg", from_count: 1, to_count: 3, reason: "scale_up" },
      { at_s: 2, component: "agg", from_count: 3, to_count: 2, reason: "scale_down" },
    ]);
    // Every TTFT is 20 ms; the last request ends at 2000 + 110 = 2110 ms.
    expect(p.sla_attainment.ttft_fraction).toBe(1);
    expect(run.simulation.collector.lastTokenMs[5]).toBe(2110);
    // GPU time: worker 0 0–2.11 s, worker 1 1–2.11 s, worker 2 1–2 s (idle since 1.11 s, drained at 2 s) = 4.22 s.
    expect(p.gpu_hours.total).toBeCloseTo(4.22 / 3600, 12);
    // The cheapest static cluster needs 3 workers throughout: 3 × 2.11 s.
    expect(h?.static.decode).toBe(3);
    expect(h?.static.gpu_hours).toBeCloseTo(6.33 / 3600, 12);
    expect(p.replicas.agg).toEqual({
      peak: 3,
      time_weighted_mean: (1 + 3 + 2 * 0.11) / 2.11,
      initial: 1,
      final: 2,
    });
    expect(p.replica_transitions).toBe(2);
  });

  it("decides a scale-up one startup time early, so the workers are ready when the window opens", () => {
    const run = runPlannerReplay(trace(), options(0.5), { config, traceName: "tiny" });
    const p = run.planner;
    expect(p.hindsight?.windows.map((w) => w.decode)).toEqual([1, 3, 2]);
    // Window 1's workers start at 1 − 0.5 s and are in the router at 1 s: every TTFT is still 20 ms.
    expect(p.scaling_events).toEqual([
      { at_s: 0.5, component: "agg", from_count: 1, to_count: 3, reason: "scale_up" },
      { at_s: 2, component: "agg", from_count: 3, to_count: 2, reason: "scale_down" },
    ]);
    expect(p.sla_attainment.ttft_fraction).toBe(1);
    // Starting workers are paid for: workers 1 and 2 from 0.5 s → 2.11 + 1.61 + 1.5 = 5.22 s.
    expect(p.gpu_hours.total).toBeCloseTo(5.22 / 3600, 12);
  });

  it("is deterministic: the same inputs give the same section", () => {
    const a = runPlannerReplay(trace(), options(0.5), { config, traceName: "tiny" }).planner;
    const b = runPlannerReplay(trace(), options(0.5), { config, traceName: "tiny" }).planner;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
