import { describe, expect, it } from "vitest";
import { stageLayout } from "../../src/replay/planner-simulation.js";
import { ScalingLog } from "../../src/replay/scaling-log.js";
import { workerCountsFor } from "../../src/replay/tick-input.js";
import { formatScalingEvent } from "../../src/report/planner-summary-text.js";

describe("applying decisions and logging scaling events (docs/design.md#applying-decisions)", () => {
  it("disagg: a component without an opinion holds its active count; each change is one event and a pending target", () => {
    const log = new ScalingLog(stageLayout("disagg"));
    // 2 prefill, 3 decode active; the planner wants decode 4 and has no prefill opinion.
    expect(log.plan({ numPrefill: null, numDecode: 4 }, 2, 3, 125)).toEqual({ prefill: 2, decode: 4 });
    expect(log.events).toEqual([
      { atS: 125, component: "decode", fromCount: 3, toCount: 4, reason: "scale_up" },
    ]);
    expect(log.pending).toEqual({ prefill: null, decode: 4 });
    expect(formatScalingEvent(log.events[0] as never)).toBe("t=125.0s [decode]: 3 -> 4 workers (scale_up)");
    // Both at their active counts: nothing to apply, nothing logged.
    expect(log.plan({ numPrefill: 2, numDecode: 3 }, 2, 3, 130)).toBeNull();
    expect(log.events).toHaveLength(1);
    // Prefill 2 → 1 while decode is held at its active 3: the held decode's pending target (4) is dropped,
    // because applying 3 cancels the startup it was waiting for.
    expect(log.plan({ numPrefill: 1, numDecode: 3 }, 2, 3, 135.24)).toEqual({ prefill: 1, decode: 3 });
    expect(log.pending).toEqual({ prefill: 1, decode: null });
    expect(formatScalingEvent(log.events[1] as never)).toBe(
      "t=135.2s [prefill]: 2 -> 1 workers (scale_down)",
    );
    log.clearReached(1, 3);
    expect(log.pending).toEqual({ prefill: null, decode: null });
  });

  it("agg: one event under component agg, the decode target sizes the pool", () => {
    const log = new ScalingLog(stageLayout("agg"));
    expect(log.plan({ numPrefill: null, numDecode: 3 }, null, 2, 40)).toEqual({ prefill: 0, decode: 3 });
    expect(log.events).toEqual([{ atS: 40, component: "agg", fromCount: 2, toCount: 3, reason: "scale_up" }]);
    log.clearReached(null, 2); // not reached yet
    expect(log.pending.decode).toBe(3);
    log.clearReached(null, 3);
    expect(log.pending.decode).toBeNull();
  });

  it("worker counts: ready = active, expected = the pending target else active; no prefill fields in agg", () => {
    const counts = { active: 2, starting: 1, draining: 1 };
    expect(workerCountsFor(null, counts, { prefill: null, decode: 3 })).toEqual({
      readyNumPrefill: null,
      readyNumDecode: 2,
      expectedNumPrefill: null,
      expectedNumDecode: 3,
    });
    expect(
      workerCountsFor({ active: 4, starting: 0, draining: 0 }, counts, { prefill: null, decode: null }),
    ).toEqual({
      readyNumPrefill: 4,
      readyNumDecode: 2,
      expectedNumPrefill: 4,
      expectedNumDecode: 2,
    });
  });
});
