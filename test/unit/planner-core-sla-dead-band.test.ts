import { describe, expect, it } from "vitest";
import { slaScaleDecision } from "../../src/planner/load-decision.js";
import { state } from "../support/planner-kit.js";

// docs/planner.md#sla-load-rule: sensitivity = 80/100; ALL estimates > SLA → N+1; N > 1 and ALL < SLA·0.8 →
// max(N−1, min_endpoint); else no_change (null). With SLA 500 ms the dead band is [400, 500], strict on both
// sides.
describe("SLA load rule: ±1 with a dead band [sla·sensitivity, sla]", () => {
  const decide = (estimates: number[], n: number, overrides: Record<string, unknown> = {}) => {
    const s = state({ optimization_target: "sla", ...overrides });
    const out = slaScaleDecision(s, estimates, 500, n);
    return { out, reason: s.diag.loadDecisionReason };
  };

  it("scales up by one only when every engine is above the SLA", () => {
    expect(decide([501, 900], 3)).toEqual({ out: 4, reason: null });
    expect(decide([501, 499], 3)).toEqual({ out: null, reason: "no_change" });
  });

  it("an estimate exactly at the SLA is not above it", () => {
    expect(decide([500, 600], 2)).toEqual({ out: null, reason: "no_change" });
  });

  it("scales down by one only when every engine is below SLA·0.8 = 400 and N > 1", () => {
    expect(decide([399, 10], 3)).toEqual({ out: 2, reason: null });
    expect(decide([400, 10], 3)).toEqual({ out: null, reason: "no_change" }); // 400 is inside the band
    expect(decide([10], 1)).toEqual({ out: null, reason: "no_change" }); // never below one worker this way
  });

  it("a scale-down stops at min_endpoint (and may then equal N)", () => {
    expect(decide([10, 10, 10], 3, { min_endpoint: 3 })).toEqual({ out: 3, reason: null });
  });

  it("follows the configured sensitivity: 50 % puts the down threshold at 250 ms", () => {
    expect(decide([260], 2, { load_scaling_down_sensitivity: 50 })).toEqual({
      out: null,
      reason: "no_change",
    });
    expect(decide([249], 2, { load_scaling_down_sensitivity: 50 })).toEqual({ out: 1, reason: null });
  });

  it("no estimates (no fit, or a rejected fit) → insufficient_data", () => {
    expect(decide([], 2)).toEqual({ out: null, reason: "insufficient_data" });
  });
});
