import { describe, expect, it } from "vitest";
import { advanceLoad } from "../../src/planner/load-scaling.js";
import type { PlannerState } from "../../src/planner/planner-state.js";
import { decodeBenchmark, engines, prefillBenchmark, setWorkers, state } from "../support/planner-kit.js";

// Easy (throughput) disagg: prefill ratio = queued / 1000 (up ≥ 1.0, down < 0.1); decode ratio = KV / 10 000
// (up > 1.0, down < 0.6).
const P_HOT = { queuedPrefillTokens: 1500 };
const P_WARM = { queuedPrefillTokens: 500 };
const D_COLD = { schedDecodeKv: 1000 };
const D_WARM = { schedDecodeKv: 8000 };

function easy(gpus: { p: number; d: number } = { p: 1, d: 1 }, budget = 8): PlannerState {
  return state(
    { mode: "disagg", max_gpu_budget: budget },
    { prefill: { contextLength: 1000, numGpu: gpus.p }, decode: { maxKvTokens: 10_000, numGpu: gpus.d } },
  );
}

const reasons = (s: PlannerState) => [
  s.diag.loadDecisionReason,
  s.diag.loadDecisionReasonPrefill,
  s.diag.loadDecisionReasonDecode,
];

describe("disaggregated load flow (docs/planner.md#disaggregated-flow)", () => {
  it("no FPMs on either side → no_fpm_data on all three reasons", () => {
    const s = easy();
    setWorkers(s, 1, 1);
    expect(advanceLoad(s, { prefill: null, decode: engines(0) })).toBeNull();
    expect(reasons(s)).toEqual(["no_fpm_data", "no_fpm_data", "no_fpm_data"]);
  });

  it("a mismatch on either non-empty side → worker_count_mismatch on all three", () => {
    const s = easy();
    setWorkers(s, 2, 2);
    expect(advanceLoad(s, { prefill: engines(2, P_HOT), decode: engines(3, D_COLD) })).toBeNull();
    expect(reasons(s)).toEqual(["worker_count_mismatch", "worker_count_mismatch", "worker_count_mismatch"]);
  });

  it("prefill up and decode down in one decision; the aggregate reason is the higher-priority scale_up", () => {
    const s = easy();
    setWorkers(s, 2, 2);
    // prefill: 1.5 ≥ 1 → 3; decode: 0.1 < 0.6 on both → max(1, 1) = 1; 3 + 1 GPUs ≤ 8
    expect(advanceLoad(s, { prefill: engines(2, P_HOT), decode: engines(2, D_COLD) })).toEqual({
      numPrefill: 3,
      numDecode: 1,
    });
    expect(reasons(s)).toEqual(["scale_up", "scale_up", "scale_down"]);
  });

  it("nothing changes → null decision, reasons no_change", () => {
    const s = easy();
    setWorkers(s, 2, 2);
    expect(advanceLoad(s, { prefill: engines(2, P_WARM), decode: engines(2, D_WARM) })).toBeNull();
    expect(reasons(s)).toEqual(["no_change", "no_change", "no_change"]);
  });

  it("the joint budget can turn a prefill scale-up into a prefill scale-down and a decode scale-up", () => {
    // budget 4, g_p 2, g_d 1; current (2, 1); rule → (3, 1); total 7 > 4: scale 4/7, max_p = floor(3/2) = 1,
    // p' = max(1, min(1, floor(1.71))) = 1; remaining 2 → d' = 2. Reasons: prefill 1 < 2 scale_down, decode up.
    const s = easy({ p: 2, d: 1 }, 4);
    setWorkers(s, 2, 1);
    expect(advanceLoad(s, { prefill: engines(2, P_HOT), decode: engines(1, D_WARM) })).toEqual({
      numPrefill: 1,
      numDecode: 2,
    });
    expect(reasons(s)).toEqual(["scale_up", "scale_down", "scale_up"]);
  });

  it("a side without FPMs keeps its count, raised to min_endpoint (0 ready prefill → 1, scale_up)", () => {
    const s = easy();
    setWorkers(s, 0, 2);
    expect(advanceLoad(s, { prefill: null, decode: engines(2, D_WARM) })).toEqual({
      numPrefill: 1,
      numDecode: 2,
    });
    expect(reasons(s)).toEqual(["scale_up", "scale_up", "no_change"]);
  });

  it("sub-decision reasons such as insufficient_data are overwritten by the final comparison", () => {
    const s = state(
      { mode: "disagg", optimization_target: "sla", enable_load_scaling: true },
      { prefill: { maxNumBatchedTokens: 2048 }, decode: {} },
    );
    setWorkers(s, 1, 1);
    // No regression data on either side: both sub-decisions are insufficient_data → counts kept.
    expect(advanceLoad(s, { prefill: engines(1), decode: engines(1) })).toBeNull();
    expect(reasons(s)).toEqual(["no_change", "no_change", "no_change"]);
  });

  it("SLA mode with throughput floors: a scale-down held up by the floor is scale_down_capped_by_throughput", () => {
    // Prefill f(x) = 0.001x + 0.002 s, avg ISL 1500; empty queues → TTFT = f(1500) = 1.502 s = 1502 ms
    // < 0.8 × 2000 → 3 − 1 = 2. Decode ITL = 0.01 + 1e-6·(10 000 + 0 + 1225) s = 21.225 ms < 0.8 × 50 → 2 − 1 = 1.
    const s = state(
      { mode: "disagg", optimization_target: "sla", enable_load_scaling: true, ttft: 2000, itl: 50 },
      { prefill: { maxNumBatchedTokens: 2048, numGpu: 1 }, decode: { numGpu: 1 } },
    );
    s.models?.prefill?.loadBenchmarkFpms(prefillBenchmark());
    s.models?.decode?.loadBenchmarkFpms(decodeBenchmark());
    setWorkers(s, 3, 2);
    s.floorPrefill = 3;
    s.floorDecode = 1;
    const out = advanceLoad(s, { prefill: engines(3), decode: engines(2, { schedDecodeKv: 10_000 }) });
    // prefill: rule 2, floor lifts it back to 3 = current → capped; decode: 1 < 2 → scale_down.
    expect(out).toEqual({ numPrefill: 3, numDecode: 1 });
    expect(reasons(s)).toEqual([
      "scale_down_capped_by_throughput",
      "scale_down_capped_by_throughput",
      "scale_down",
    ]);
    expect(s.diag.estimatedTtftMs).toBeCloseTo(1502, 6);
    expect(s.diag.estimatedItlMs).toBeCloseTo(21.225, 6);
  });
});
