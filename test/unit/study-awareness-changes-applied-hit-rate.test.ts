import { beforeAll, describe, expect, it } from "vitest";
import { expandKvReuseMatrix } from "../../src/studies/kv-reuse/design.js";
import { runStudyPoint, type StudyPointResult } from "../../src/studies/kv-reuse/point-run.js";
import { sharedPrefixWorkload } from "../../src/studies/kv-reuse/workloads.js";

// Expectations from the planner's rules (docs/planner.md#sticky-kv-hit-rate, #cadence), not from a run:
// - Awareness off: every traffic observation carries a null hit rate. Load-only: null never overwrites the
//   sticky value, so it stays null on every tick. Mixed: each throughput tick promotes the kv predictor's
//   forecast, and an empty predictor forecasts 0, so the sticky value is 0 from the first
//   throughput tick on — never positive.
// - Mixed cadence: load ticks every 5 s, throughput every 30 s; load ticks of a mixed deployment request no
//   traffic, so nothing sets the sticky value before the first throughput tick at ≈ 30 s, which merges with the
//   6th load tick: exactly 5 ticks (≈ 5, 10, 15, 20, 25 s) end with a null sticky value, awareness on or off.
// - Awareness on, shared-prefix workload: every prompt is a 4096-token group prefix + ≈ 1024 new tokens, so a
//   request routed to a worker that holds its group's prefix hits ≈ 4096 / 5120 = 0.8 of its blocks; the KV router
//   steers requests to such workers, so once caches are warm the windowed hit rate is well above 0.5 and the
//   planner discounts prefill by it.

describe("KV-hit-rate awareness on the shared-prefix workload", () => {
  const results = new Map<string, StudyPointResult>();
  beforeAll(() => {
    // The quick study's shared-prefix workload: the ramp squeezed into 60 s (8 replays, a few seconds).
    const workload = sharedPrefixWorkload(true);
    for (const point of expandKvReuseMatrix().filter((c) => c.workload === "shared-prefix")) {
      results.set(point.id, runStudyPoint(workload.trace, point));
    }
  });
  const sticky = (id: string) => {
    const r = results.get(id);
    if (r === undefined) throw new Error(`no point ${id}`);
    return r.figures.sticky;
  };

  it("off, load-only: the planner never holds a hit rate (sticky null on every tick, no discount)", () => {
    for (const mode of ["agg", "disagg"]) {
      const s = sticky(`shared-prefix/${mode}/load-only/off`);
      expect(s.ticks).toBeGreaterThan(0);
      expect(s.nullTicks).toBe(s.ticks);
      expect(s.meanApplied).toBe(0);
    }
  });

  it("off, mixed: null until the first throughput tick, then the empty predictor's 0 — never positive", () => {
    for (const mode of ["agg", "disagg"]) {
      const s = sticky(`shared-prefix/${mode}/mixed/off`);
      expect(s.nullTicks).toBe(5);
      expect(s.zeroTicks).toBe(s.ticks - 5);
      expect(s.positiveTicks).toBe(0);
      expect(s.meanApplied).toBe(0);
    }
  });

  it("on: the planner applies a positive hit rate, above 0.5 at its peak, on both cadences and topologies", () => {
    for (const mode of ["agg", "disagg"]) {
      for (const cadence of ["mixed", "load-only"]) {
        const s = sticky(`shared-prefix/${mode}/${cadence}/on`);
        expect(s.positiveTicks).toBeGreaterThan(0);
        expect(s.max).toBeGreaterThan(0.5);
        expect(s.meanApplied).toBeGreaterThan(0);
        if (cadence === "mixed") expect(s.nullTicks).toBe(5);
      }
    }
  });
});
