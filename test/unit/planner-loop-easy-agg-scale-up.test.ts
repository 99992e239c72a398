import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";
import { runPlannerReplay } from "../support/planner-replay-kit.js";

// Constant pass costs: any prefill 10 ms, any decode step 10 ms (one-point interpolation tables).
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

describe("easy-mode agg planner in the loop (docs/planner.md#easy-mode, docs/design.md#the-planner-loop)", () => {
  it("scales 1 → 2 when an engine's KV load ratio passes 1.0, and reports the run's time, GPU-hours and replicas", () => {
    // One worker: 16 blocks × 64 tokens = 1024 KV tokens, one sequence at a time. At t = 0 three requests arrive:
    // A (64-token prompt, 900 output tokens) runs; B and C (512-token prompts, 10 outputs) wait behind it.
    const trace = tinyTrace(
      [
        { isl: 64, osl: 900, hashIds: [1] },
        { isl: 512, osl: 10, hashIds: [11, 12, 13, 14, 15, 16, 17, 18] },
        { isl: 512, osl: 10, hashIds: [21, 22, 23, 24, 25, 26, 27, 28] },
      ],
      64,
    );
    const options = resolveClusterOptions(
      {
        mode: "agg",
        numWorkers: 1,
        engineArgs: { num_gpu_blocks: 16, block_size: 64, max_num_seqs: 1, perf_model: CONSTANT_10MS },
      },
      64,
    );
    const config = parsePlannerConfig({ mode: "agg", optimization_target: "throughput" });
    const run = runPlannerReplay(trace, options, { config, traceName: "tiny" });
    const p = run.planner;

    // A: pass 1 [0, 20] ms prefills and emits token 1; pass k ≥ 2 starts at 20 + 10(k − 2) and emits token k.
    // The first tick (load interval 5 s) sees the pass that starts at 5000 ms: k = 500, so A holds
    // 64 + 499 = 563 tokens when scheduled; B and C wait with 512 + 512 = 1024 prompt tokens.
    // Agg load ratio = (563 + 0 + 1024) / 1024 = 1.55 > 1.0 → scale up by one.
    expect(p.ticks).toBe(1);
    const tick = p.diagnostics[0];
    expect(tick?.timestamp_s).toBe(5);
    expect(tick?.decode_engines).toEqual([
      {
        worker_id: "0",
        dp_rank: 0,
        queued_prefill_tokens: 1024,
        queued_decode_kv_tokens: 0,
        inflight_decode_kv_tokens: 563,
      },
    ]);
    expect(tick?.load_decision_reason).toBe("scale_up");
    expect(tick?.scale_to_decode).toBe(2);
    expect(p.scaling_events).toEqual([
      { at_s: 5, component: "agg", from_count: 1, to_count: 2, reason: "scale_up" },
    ]);

    // A's 900th token lands at 30 + 10·898 = 9010 ms; B then takes 20 + 9·10 = 110 ms (→ 9120), C too (→ 9230).
    // The run ends at 9.23 s, before the 10 s tick, so only one tick ran. B and C stayed queued on worker 0.
    expect(run.simulation.collector.lastTokenMs[2]).toBe(9230);
    // Exact GPU-hours: worker 0 for 9.23 s + worker 1 from 5 s to 9.23 s = 13.46 s.
    expect(p.gpu_hours.total).toBeCloseTo(13.46 / 3600, 12);
    expect(p.gpu_hours.prefill).toBe(0);
    // Tick-sampled: one tick at 5 s with one active worker = 5 s.
    expect(p.gpu_hours_tick_sampled).toBeCloseTo(5 / 3600, 12);
    // Replicas: 1 for 0–5 s, 2 for 5–9.23 s → (5 + 8.46)/9.23.
    expect(p.replicas.agg?.peak).toBe(2);
    expect(p.replicas.agg?.time_weighted_mean).toBeCloseTo(13.46 / 9.23, 12);
    // max_kv_tokens = 16 blocks × 64 tokens.
    expect(p.max_kv_tokens).toBe(1024);
  });
});
