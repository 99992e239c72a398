import { describe, expect, it } from "vitest";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { ScheduledTick } from "../../src/planner/types.js";
import { config } from "../support/planner-kit.js";

const MIXED = {
  optimization_target: "sla",
  enable_load_scaling: true,
  enable_throughput_scaling: true,
  load_adjustment_interval: 5,
  throughput_adjustment_interval: 60,
};

/** Runs ticks with now_s = at_s + lag(i) and returns the schedule. */
function run(overrides: Record<string, unknown>, count: number, lag: (i: number) => number = () => 0) {
  const sm = new PlannerStateMachine(config(overrides), {});
  let next: ScheduledTick = sm.initialTick(0);
  const seen: ScheduledTick[] = [];
  for (let i = 0; i < count; i++) {
    seen.push(next);
    next = sm.onTick(next, { nowS: next.atS + lag(i) }).nextTick;
  }
  return seen;
}

describe("tick cadence (docs/planner.md#cadence)", () => {
  it("load 5 s + throughput 60 s from 0: load ticks at 5…55, a merged tick at 60, then 65", () => {
    const ticks = run(MIXED, 13);
    expect(ticks.map((t) => t.atS)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65]);
    const at55 = ticks[10]!;
    expect(at55).toEqual({
      atS: 55,
      runLoadScaling: true,
      runThroughputScaling: false,
      needTrafficMetrics: false, // throughput is on: load ticks do not scrape traffic
      trafficMetricsDurationS: 0,
      needWorkerStates: true,
      needWorkerFpm: true,
    });
    expect(ticks[11]).toEqual({
      atS: 60,
      runLoadScaling: true,
      runThroughputScaling: true,
      needTrafficMetrics: true,
      trafficMetricsDurationS: 60,
      needWorkerStates: true,
      needWorkerFpm: true,
    });
  });

  it("load-only deployments scrape traffic (the hit rate) on every load tick, over the load interval", () => {
    const [first] = run(
      { optimization_target: "sla", enable_load_scaling: true, enable_throughput_scaling: false },
      1,
    );
    expect(first).toMatchObject({
      atS: 5,
      needTrafficMetrics: true,
      trafficMetricsDurationS: 5,
      runThroughputScaling: false,
    });
    // Easy mode is load-only too.
    const [easy] = run({}, 1);
    expect(easy).toMatchObject({ needTrafficMetrics: true, trafficMetricsDurationS: 5 });
  });

  it("load ticks keep running when load scaling is off (they feed FPMs to the regressions)", () => {
    const ticks = run(
      {
        optimization_target: "sla",
        enable_load_scaling: false,
        throughput_adjustment_interval: 12,
        load_adjustment_interval: 5,
      },
      4,
    );
    // Throughput-only still has load ticks: 5, 10, then throughput at 12, then load at 15.
    expect(ticks.map((t) => [t.atS, t.runLoadScaling, t.runThroughputScaling])).toEqual([
      [5, true, false],
      [10, true, false],
      [12, false, true],
      [15, true, false],
    ]);
  });

  it("re-schedules from now_s, so a late tick shifts the following ones (drift accumulates)", () => {
    // Every tick runs 0.2 s late: 5 → runs 5.2 → next 10.2 → runs 10.4 → next 15.4 …
    const ticks = run(MIXED, 4, () => 0.2);
    expect(ticks.map((t) => t.atS)).toEqual([5, 10.2, 15.4, 20.6].map((x) => expect.closeTo(x, 9)));
  });

  it("merges ticks due within 0.5 s and keeps them apart beyond it", () => {
    // Every tick runs 0.04 s late: the 11th load tick (at 55.40) runs at 55.44 → next load 60.44, which is
    // within 0.5 s of the throughput tick at 60 → one merged tick at 60.
    const merged = run(MIXED, 12, () => 0.04)[11]!;
    expect(merged).toMatchObject({
      atS: 60,
      runLoadScaling: true,
      runThroughputScaling: true,
      needWorkerFpm: true,
    });
    // 0.06 s late: next load at 55.60 + 0.06 + 5 = 60.66 > 60.5 → a throughput-only tick at 60, then load at 60.66.
    const apart = run(MIXED, 13, () => 0.06);
    expect(apart[11]).toMatchObject({
      atS: 60,
      runLoadScaling: false,
      runThroughputScaling: true,
      needWorkerFpm: false,
    });
    expect(apart[12]!.atS).toBeCloseTo(60.66, 9);
    expect(apart[12]).toMatchObject({ runLoadScaling: true, runThroughputScaling: false });
  });
});
