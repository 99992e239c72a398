import { describe, expect, it } from "vitest";
import type { TickRecord } from "../../src/planner/observations-schema.js";
import {
  type PlannedTick,
  type RecordedTick,
  replayRecordedTicks,
} from "../../src/planner/recorded-ticks.js";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { TickInput } from "../../src/planner/types.js";
import { config, engines } from "../support/planner-kit.js";

function records(inputs: TickInput[]): RecordedTick[] {
  return inputs.map((input, i) => ({ line: i + 1, record: { input, observed: null } satisfies TickRecord }));
}

function replay(sm: PlannerStateMachine, inputs: TickInput[], startS?: number) {
  const planned: PlannedTick[] = [];
  const summary = replayRecordedTicks(sm, records(inputs), startS === undefined ? {} : { startS }, (t) =>
    planned.push(t),
  );
  return { planned, summary };
}

const traffic = (kvHitRate: number | null) => ({ durationS: 5, numReq: 10, isl: 100, osl: 10, kvHitRate });

describe("running the state machine over recorded tick inputs", () => {
  it("skips records before the next scheduled tick and runs the rest at their own now_s", () => {
    const sm = new PlannerStateMachine(config({}), {}); // load every 5 s
    const { planned, summary } = replay(
      sm,
      [5, 7, 10, 12, 16, 20.6].map((nowS) => ({ nowS })),
    );
    // default start = 5 − 5 = 0 → tick 5 ← 5; 7 < 10 skip; 10 ← 10; 12 < 15 skip; 16 runs late for 15 → next 21;
    // 20.6 is within 0.5 s of 21 → runs as that tick.
    expect(planned.map((t) => [t.tick.atS, t.input.nowS])).toEqual([
      [5, 5],
      [10, 10],
      [15, 16],
      [21, 20.6],
    ]);
    expect(summary).toEqual({ processedTicks: 4, skippedLines: [2, 4] });
  });

  it("honours an explicit start time", () => {
    const sm = new PlannerStateMachine(config({}), {});
    const { planned } = replay(sm, [{ nowS: 5 }, { nowS: 10 }, { nowS: 13 }], 8);
    expect(planned.map((t) => t.tick.atS)).toEqual([13]); // first tick at 8 + 5 = 13
  });

  it("passes traffic only to ticks that ask for it, and FPMs only to load ticks", () => {
    const sm = new PlannerStateMachine(
      config({
        mode: "prefill",
        optimization_target: "sla",
        enable_load_scaling: true,
        load_adjustment_interval: 5,
        throughput_adjustment_interval: 12,
        load_predictor: "constant",
      }),
      {},
    );
    const all = (nowS: number): TickInput => ({
      nowS,
      traffic: traffic(0.5),
      fpmObservations: { prefill: engines(1), decode: null },
    });
    const { planned } = replay(sm, [all(5), all(10), all(12), all(15)]);
    expect(
      planned.map((t) => [t.tick.atS, t.input.traffic !== null, t.input.fpmObservations !== null]),
    ).toEqual([
      [5, false, true],
      [10, false, true],
      [12, true, false],
      [15, false, true],
    ]);
    expect(sm.loadPredictors?.numReq.size).toBe(1); // only the throughput tick's traffic was observed
  });

  it("with kv_hit_rate_awareness off, hit rates are withheld from the planner", () => {
    const on = new PlannerStateMachine(config({}), {});
    replay(on, [{ nowS: 5, traffic: traffic(0.6) }]);
    expect(on.lastKvHitRate).toBe(0.6);
    const off = new PlannerStateMachine(config({ kv_hit_rate_awareness: false }), {});
    const { planned } = replay(off, [{ nowS: 5, traffic: traffic(0.6) }]);
    expect(off.lastKvHitRate).toBeNull();
    expect(planned[0]?.input.traffic?.kvHitRate).toBeNull();
  });

  it("integrates GPU-hours from the ready replicas held between ticks", () => {
    const sm = new PlannerStateMachine(config({ mode: "disagg" }), {
      prefill: { numGpu: 2 },
      decode: { numGpu: 1 },
    });
    const counts = {
      readyNumPrefill: 2,
      readyNumDecode: 3,
      expectedNumPrefill: null,
      expectedNumDecode: null,
    };
    const { planned } = replay(sm, [
      { nowS: 5, workerCounts: counts },
      { nowS: 10, workerCounts: counts },
      { nowS: 15, workerCounts: counts },
    ]);
    // (2·2 + 3·1) GPUs × 5 s per interval: 7·5/3600 after the second tick, 7·10/3600 after the third
    expect(planned.map((t) => t.gpuHours)).toEqual([0, 35 / 3600, 70 / 3600]);
  });
});
