import { describe, expect, it } from "vitest";
import type { PlannerSection } from "../../src/report/planner-result.js";
import { summarizeStickyHitRate } from "../../src/studies/kv-reuse/point-run.js";

// The study's "applied hit rate" (docs/studies.md): the mean over every tick of the discount the planner applied,
// i.e. the sticky hit rate clamped into [0, 0.95] with null (no hit rate held) applying 0. Worked by hand on five
// ticks with sticky values null, 0, 0.4, 0.99, null:
//   applied 0, 0, 0.4, 0.95 (clamped), 0 → mean (0.4 + 0.95) / 5 = 0.27;
//   counts: 2 null, 1 zero, 2 positive; max 0.99 (the raw value, unclamped).
// Dropping the clamp would give 1.39 / 5 = 0.278; dividing by the 3 ticks with a value, 1.35 / 3 = 0.45.
function plannerWithSticky(values: readonly (number | null)[]): PlannerSection {
  return { diagnostics: values.map((v) => ({ sticky_kv_hit_rate: v })) } as unknown as PlannerSection;
}

describe("the study's applied hit rate", () => {
  it("is the mean over all ticks of the clamped sticky rate, null ticks applying 0", () => {
    const s = summarizeStickyHitRate(plannerWithSticky([null, 0, 0.4, 0.99, null]));
    expect(s.meanApplied).toBeCloseTo(0.27, 12);
    expect([s.ticks, s.nullTicks, s.zeroTicks, s.positiveTicks, s.max]).toEqual([5, 2, 1, 2, 0.99]);
  });

  it("is 0 with no tick, and 0.95 when every tick holds a rate above the cap", () => {
    expect(summarizeStickyHitRate(plannerWithSticky([])).meanApplied).toBe(0);
    expect(summarizeStickyHitRate(plannerWithSticky([1, 0.97])).meanApplied).toBeCloseTo(0.95, 12);
  });
});
