import { describe, expect, it } from "vitest";
import { advanceLoad } from "../../src/planner/load-scaling.js";
import { engines, state } from "../support/planner-kit.js";

// docs/planner.md#single-component-flow (mode prefill | decode). Easy decode mode with KV capacity 10 000:
// ratio (sched + queued)/10 000, up when any > 1.0, down when all < 0.6.
const CAPS = { decode: { maxKvTokens: 10_000, numGpu: 2 } };
const HOT = { schedDecodeKv: 11_000 }; // ratio 1.1 → +1
const COLD = { schedDecodeKv: 1_000 }; // ratio 0.1 → −1
const WARM = { schedDecodeKv: 8_000 }; // ratio 0.8 → no change

function decodeState(ready: number, expected: number | null = null, overrides: Record<string, unknown> = {}) {
  const s = state({ mode: "decode", ...overrides }, CAPS);
  s.inventory.update({
    readyNumPrefill: null,
    readyNumDecode: ready,
    expectedNumPrefill: null,
    expectedNumDecode: expected,
  });
  return s;
}

describe("single-component load flow", () => {
  it("guards in order: scaling in progress, then no FPM data, then worker-count mismatch", () => {
    const inProgress = decodeState(2, 3);
    expect(advanceLoad(inProgress, { prefill: null, decode: null })).toBeNull();
    expect(inProgress.diag.loadDecisionReason).toBe("scaling_in_progress");

    const noData = decodeState(2, 2); // expected == ready: not in progress
    expect(advanceLoad(noData, { prefill: engines(2, HOT), decode: null })).toBeNull(); // prefill FPMs ignored
    expect(noData.diag.loadDecisionReason).toBe("no_fpm_data");

    const mismatch = decodeState(3);
    expect(advanceLoad(mismatch, { prefill: null, decode: engines(2, HOT) })).toBeNull();
    expect(mismatch.diag.loadDecisionReason).toBe("worker_count_mismatch");
  });

  it("scales up by one and says scale_up; the decision names only its component", () => {
    const s = decodeState(2);
    expect(advanceLoad(s, { prefill: null, decode: engines(2, HOT) })).toEqual({
      numPrefill: null,
      numDecode: 3,
    });
    expect(s.diag.loadDecisionReason).toBe("scale_up");
  });

  it("scales down by one and says scale_down", () => {
    const s = decodeState(3);
    expect(advanceLoad(s, { prefill: null, decode: engines(3, COLD) })).toEqual({
      numPrefill: null,
      numDecode: 2,
    });
    expect(s.diag.loadDecisionReason).toBe("scale_down");
  });

  it("inside the thresholds: no decision, reason no_change", () => {
    const s = decodeState(2);
    expect(advanceLoad(s, { prefill: null, decode: engines(2, WARM) })).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("no_change");
  });

  it("emits a decision equal to the current count (min_endpoint stops the scale-down), reason no_change", () => {
    const s = decodeState(2, null, { min_endpoint: 2 });
    // all cold, N = 2 > 1 → max(1, 2) = 2
    expect(advanceLoad(s, { prefill: null, decode: engines(2, COLD) })).toEqual({
      numPrefill: null,
      numDecode: 2,
    });
    expect(s.diag.loadDecisionReason).toBe("no_change");
  });

  it("clamps to the GPU budget: 4 → 5 wanted, 5 × 2 GPUs > 8 → 4 (= current, no_change)", () => {
    const s = decodeState(4);
    expect(advanceLoad(s, { prefill: null, decode: engines(4, HOT) })).toEqual({
      numPrefill: null,
      numDecode: 4,
    });
    expect(s.diag.loadDecisionReason).toBe("no_change");
  });

  it("load scaling disabled → reason disabled, no decision", () => {
    const s = decodeState(2, null, { optimization_target: "sla", enable_load_scaling: false });
    expect(advanceLoad(s, { prefill: null, decode: engines(2, HOT) })).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("disabled");
  });
});
