import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PlannerReplay, plannerReplaySetup } from "../../src/replay/planner-replay.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { FakeSimulation, type FakeStep } from "../support/fake-simulation-kit.js";

function replay(configRaw: object, sim: FakeSimulation) {
  const config = parsePlannerConfig({ mode: "agg", ...configRaw });
  return new PlannerReplay(
    sim,
    plannerReplaySetup(resolveClusterOptions({ mode: "agg" }, 512), { config }),
  ).run();
}

const MIXED = {
  optimization_target: "sla",
  enable_load_scaling: true,
  enable_throughput_scaling: true,
  load_adjustment_interval: 5,
  throughput_adjustment_interval: 15,
};

describe("the adapter's tick loop (docs/design.md#tick-cadence, #tick-input)", () => {
  it("drains traffic only on ticks that ask: throughput ticks in mixed mode, every load tick when load-only", () => {
    const mixed = new FakeSimulation({ active: [1], doneAtMs: 35_000 });
    const p = replay(MIXED, mixed);
    // Ticks at 5, 10, 15 (load + throughput merged), 20, 25, 30 (merged); the advance to 35 s finds the run done.
    expect(mixed.advances).toEqual([5000, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000]);
    expect(p.ticks).toBe(6);
    expect(mixed.drainsAtMs).toEqual([15_000, 30_000]);

    const loadOnly = new FakeSimulation({ active: [1], doneAtMs: 20_000 });
    replay({ optimization_target: "throughput" }, loadOnly);
    expect(loadOnly.drainsAtMs).toEqual([5000, 10_000, 15_000]);
  });

  it("now_s is the last event before the tick, so the next tick is scheduled from it (drift accumulates)", () => {
    // Every advance reports its last event 100 ms before the target.
    const steps: FakeStep[] = [4900, 9800, 14_700].map((lastEventMs) => ({ lastEventMs }));
    const sim = new FakeSimulation({ active: [1], doneAtMs: 19_600, steps });
    const p = replay({ optimization_target: "throughput" }, sim);
    expect(sim.advances).toEqual([5000, 9900, 14_800, 19_700]);
    expect(p.diagnostics.map((d) => d.timestamp_s)).toEqual([4.9, 9.8, 14.7]);
  });

  it("across an idle gap (no event since the previous tick) the tick runs at the simulation clock", () => {
    // The last event stays at 1 s: upstream's now_s would stay at 1 s and reschedule the 6 s tick forever.
    const steps: FakeStep[] = Array.from({ length: 10 }, () => ({ lastEventMs: 1000 }));
    const sim = new FakeSimulation({ active: [1], doneAtMs: 20_000, steps });
    const p = replay({ optimization_target: "throughput" }, sim);
    // Tick 1 at 5 s: the event at 1 s is after the previous clock (0) → now 1 s, next tick at 6 s.
    // Tick 2 at 6 s: nothing since → now = clock 6 s → 11 s → 16 s → 21 s (done; not processed).
    expect(sim.advances).toEqual([5000, 6000, 11_000, 16_000, 21_000]);
    expect(p.diagnostics.map((d) => d.timestamp_s)).toEqual([1, 6, 11, 16]);
  });
});
