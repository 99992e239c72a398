import { describe, expect, it } from "vitest";
import { advanceLoad } from "../../src/planner/load-scaling.js";
import { combineAgg } from "../../src/planner/load-scaling-agg.js";
import type { PlannerState } from "../../src/planner/planner-state.js";
import { aggBenchmark, engines, setWorkers, state } from "../support/planner-kit.js";

// Agg regression f(p, kv) = 0.001·p + 1e-6·kv + 0.005 s; avg ISL 1250, avg decode length 1750, avg prefill
// tokens per pass 1000 (see builders.aggBenchmark). mbt 2048, TTFT and ITL SLAs 2000 ms (band [1600, 2000]).
function slaAgg(overrides: Record<string, unknown> = {}, mbt: number | null = 2048): PlannerState {
  const s = state(
    {
      mode: "agg",
      optimization_target: "sla",
      enable_load_scaling: true,
      ttft: 2000,
      itl: 2000,
      ...overrides,
    },
    { decode: { maxNumBatchedTokens: mbt, numGpu: 1 } },
  );
  s.models?.agg?.loadBenchmarkFpms(aggBenchmark());
  setWorkers(s, 0, 2);
  return s;
}

describe("aggregated load flow (docs/planner.md#aggregated-flow)", () => {
  it("combines sub-decisions: P up wins, then D up, then D down when P is null, then max of two downs", () => {
    const n = 4;
    expect(combineAgg(5, 3, n)).toBe(5);
    expect(combineAgg(3, 5, n)).toBe(5);
    expect(combineAgg(null, 3, n)).toBe(3);
    expect(combineAgg(2, 3, n)).toBe(3);
    expect(combineAgg(3, null, n)).toBe(n); // prefill wants down, decode has no opinion → hold
    expect(combineAgg(null, null, n)).toBe(n);
  });

  it("quirk: prefill inside its dead band (P null) does not stop a decode-only scale-down", () => {
    const s = slaAgg();
    // TTFT: (500 + 1250) = 1750 tokens, one chunk: f(1750, 10 000) = 1.75 + 0.01 + 0.005 = 1.765 s → in band.
    // ITL: f(1000, 10 000 + 0 + 1750) = 1 + 0.01175 + 0.005 = 1.01675 s = 1016.75 ms < 1600 → D = 1.
    const out = advanceLoad(s, {
      prefill: null,
      decode: engines(2, { queuedPrefillTokens: 500, schedDecodeKv: 10_000 }),
    });
    expect(out).toEqual({ numPrefill: null, numDecode: 1 });
    expect(s.diag.loadDecisionReason).toBe("scale_down");
    expect(s.diag.estimatedTtftMs).toBeCloseTo(1765, 6);
    expect(s.diag.estimatedItlMs).toBeCloseTo(1016.75, 6);
  });

  it("without a batch size there is no prefill signal, and decode decides alone", () => {
    const s = slaAgg({}, null);
    const out = advanceLoad(s, {
      prefill: null,
      decode: engines(2, { queuedPrefillTokens: 500, schedDecodeKv: 10_000 }),
    });
    expect(out).toEqual({ numPrefill: null, numDecode: 1 });
    expect(s.diag.estimatedTtftMs).toBeNull();
  });

  it("a long prefill queue scales up even while decode wants to scale down", () => {
    const s = slaAgg();
    // T = 5000 + 1250 = 6250 → chunks 2048 ×3 + 106: 3·(2.048 + 0.015) + (0.106 + 0.015) = 6.31 s > 2 s → P = 3.
    const out = advanceLoad(s, {
      prefill: null,
      decode: engines(2, { queuedPrefillTokens: 5000, schedDecodeKv: 10_000 }),
    });
    expect(out).toEqual({ numPrefill: null, numDecode: 3 });
    expect(s.diag.loadDecisionReason).toBe("scale_up");
    expect(s.diag.estimatedTtftMs).toBeCloseTo(6310, 6);
  });

  it("discounts the TTFT estimate by the sticky hit rate: (500 + 1250)·(1 − 0.5) = 875 tokens", () => {
    const s = slaAgg();
    s.lastKvHitRate = 0.5;
    // f(875, 10 000) = 0.875 + 0.015 = 0.890 s < 1.6 s → P = 1; D = 1 → max(1, 1) = 1
    const out = advanceLoad(s, {
      prefill: null,
      decode: engines(2, { queuedPrefillTokens: 500, schedDecodeKv: 10_000 }),
    });
    expect(s.diag.estimatedTtftMs).toBeCloseTo(890, 6);
    expect(out).toEqual({ numPrefill: null, numDecode: 1 });
  });

  it("a scale-down held at the current count by the throughput floor is capped and emits nothing", () => {
    const s = slaAgg({ enable_throughput_scaling: true });
    s.floorDecode = 2;
    const out = advanceLoad(s, {
      prefill: null,
      decode: engines(2, { queuedPrefillTokens: 500, schedDecodeKv: 10_000 }),
    });
    expect(out).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("scale_down_capped_by_throughput");
  });

  it("SLA agg emits nothing when the count does not move (reason no_change)", () => {
    // No batch size → no prefill signal. ITL = f(1000, 700 000 + 1750) = 1 + 0.70175 + 0.005 = 1.70675 s:
    // inside the band [1.6, 2.0] s → D null → combined = N → null.
    const hold = slaAgg({}, null);
    expect(advanceLoad(hold, { prefill: null, decode: engines(2, { schedDecodeKv: 700_000 }) })).toBeNull();
    expect(hold.diag.loadDecisionReason).toBe("no_change");
    expect(hold.diag.estimatedItlMs).toBeCloseTo(1706.75, 6);
  });

  it("SLA agg without enough regression data → insufficient_data", () => {
    const cold = state({ mode: "agg", optimization_target: "sla", enable_load_scaling: true }, {});
    setWorkers(cold, 0, 1);
    expect(advanceLoad(cold, { prefill: null, decode: engines(1) })).toBeNull();
    expect(cold.diag.loadDecisionReason).toBe("insufficient_data");
  });

  it("guards in order: no FPM data, then scaling in progress, then worker-count mismatch", () => {
    const s = slaAgg();
    s.inventory.update({
      readyNumPrefill: null,
      readyNumDecode: 2,
      expectedNumPrefill: null,
      expectedNumDecode: 3,
    });
    expect(advanceLoad(s, { prefill: null, decode: null })).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("no_fpm_data");
    expect(advanceLoad(s, { prefill: null, decode: engines(5) })).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("scaling_in_progress");
    setWorkers(s, 0, 2);
    expect(advanceLoad(s, { prefill: null, decode: engines(5) })).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("worker_count_mismatch");
  });

  it("easy agg emits its decision even when unchanged (min_endpoint holds the count)", () => {
    const s = state({ mode: "agg", min_endpoint: 2 }, { decode: { maxKvTokens: 10_000 } });
    setWorkers(s, 0, 2);
    // (1000 + 0 + 0)/10 000 = 0.1 < 0.6 for both → max(1, 2) = 2
    expect(advanceLoad(s, { prefill: null, decode: engines(2, { schedDecodeKv: 1000 }) })).toEqual({
      numPrefill: null,
      numDecode: 2,
    });
    expect(s.diag.loadDecisionReason).toBe("no_change");
  });
});
