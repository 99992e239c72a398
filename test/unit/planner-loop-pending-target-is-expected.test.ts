import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PlannerReplay, plannerReplaySetup } from "../../src/replay/planner-replay.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { FakeSimulation, fpm } from "../support/fake-simulation-kit.js";

describe("pending scaling targets are the planner's `expected` counts (docs/planner.md#inventory, docs/design.md#tick-input)", () => {
  it("an agg scale-up waits for its startup, then a scale-down applies at once", () => {
    const config = parsePlannerConfig({ mode: "agg", optimization_target: "throughput" });
    const setup = plannerReplaySetup(resolveClusterOptions({ mode: "agg" }, 512), { config });
    // Default agg worker: 16384 blocks × 64 tokens = 1 048 576 KV tokens.
    const busy = fpm(0, { wallTime: 0.02, numDecode: 100, decodeKv: 2_000_000 }); // ratio 1.91 > 1
    const idle0 = fpm(0, { wallTime: 0.01 });
    const idle1 = fpm(1, { wallTime: 0.01 });
    const sim = new FakeSimulation({
      active: [1],
      doneAtMs: 30_000,
      startupAdvances: 2,
      steps: [
        { snapshots: { 0: [busy] } }, //        5 s: scale 1 → 2 (worker 1 starts)
        { snapshots: { 0: [busy] } }, //       10 s: expected 2, ready 1 → scaling_in_progress
        { snapshots: { 0: [busy] } }, //       15 s: worker 1 active but has sent no pass → worker_count_mismatch
        { snapshots: { 0: [idle0, idle1] } }, // 20 s: both idle, ratios 0 < 0.6 → scale 2 → 1
      ],
    });
    const p = new PlannerReplay(sim, setup).run();

    expect(p.diagnostics.map((d) => d.load_decision_reason)).toEqual([
      "scale_up",
      "scaling_in_progress",
      "worker_count_mismatch",
      "scale_down",
      "no_change",
    ]);
    // Ready counts as the planner saw them; the pruned cache at 25 s holds worker 0 only (ratio 0, N = 1).
    expect(p.diagnostics.map((d) => d.num_decode_replicas)).toEqual([1, 1, 2, 2, 1]);
    expect(sim.scalings).toEqual([
      { atMs: 5000, prefill: 0, decode: 2 },
      { atMs: 20_000, prefill: 0, decode: 1 },
    ]);
    expect(p.scaling_events).toEqual([
      { at_s: 5, component: "agg", from_count: 1, to_count: 2, reason: "scale_up" },
      { at_s: 20, component: "agg", from_count: 2, to_count: 1, reason: "scale_down" },
    ]);
    // Replicas (active + starting): 1 for 0–5 s, 2 for 5–20 s, 1 for 20–30 s → (5 + 30 + 10)/30 = 1.5.
    expect(p.replicas.agg).toEqual({ peak: 2, time_weighted_mean: 1.5, initial: 1, final: 1 });
  });
});
