import { describe, expect, it } from "vitest";
import { exactGpuHours, TickSampledGpuHours } from "../../src/replay/gpu-hours.js";
import { type PlannerSimulation, stageLayout } from "../../src/replay/planner-simulation.js";
import type { StageCounts } from "../../src/sim/cluster/cluster-simulation.js";

/** Only the accessors exactGpuHours reads. */
function fixedSim(nowMs: number, hours: number[], counts: StageCounts[]): PlannerSimulation {
  return {
    now: nowMs,
    workerHours: (stage: number) => hours[stage] as number,
    counts: (stage: number) => counts[stage] as StageCounts,
  } as unknown as PlannerSimulation;
}

describe("GPU-hours of a planner replay", () => {
  it("tick-sampled: Σ (active prefill·g_p + active decode·g_d) · Δt / 3600 over the ticks", () => {
    const meter = new TickSampledGpuHours({ prefill: 2, decode: 1 });
    // Tick at 90 s: 1 prefill (2 GPUs) + 2 decode → 4 GPUs × 90 s = 360 GPU-s.
    expect(meter.sample(90, 1, 2)).toBeCloseTo(360 / 3600, 15);
    // Tick at 270 s: 3 prefill + 1 decode → 7 GPUs × 180 s = 1260 GPU-s; total 1620 GPU-s = 0.45 h.
    expect(meter.sample(270, 3, 1)).toBeCloseTo(0.45, 15);
    expect(meter.total).toBeCloseTo(0.45, 15);
  });

  it("exact: provisioned worker-hours × GPUs per replica, ending at the last event, not at the final tick", () => {
    // Disagg, prefill 2 GPUs, decode 1. The clock stands at 3 610 s (the tick that found the run finished), the
    // last event was at 3 600 s. Prefill: 2 provisioned workers over those last 10 s → subtract 20 worker-s.
    const sim = fixedSim(
      3_610_000,
      [2 + 20 / 3600, 3 + 30 / 3600],
      [
        { active: 1, starting: 0, draining: 1 },
        { active: 2, starting: 1, draining: 0 },
      ],
    );
    const h = exactGpuHours(sim, stageLayout("disagg"), { prefill: 2, decode: 1 }, 3_600_000);
    // prefill: (2 h + 20 s − 2·10 s)·2 = 4 h; decode: (3 h + 30 s − 3·10 s)·1 = 3 h.
    expect(h.prefill).toBeCloseTo(4, 12);
    expect(h.decode).toBeCloseTo(3, 12);
    expect(h.total).toBeCloseTo(7, 12);
  });

  it("exact, agg: everything under decode, prefill 0", () => {
    const sim = fixedSim(7_200_000, [5], [{ active: 3, starting: 0, draining: 0 }]);
    const h = exactGpuHours(sim, stageLayout("agg"), { prefill: 1, decode: 4 }, 7_200_000);
    expect(h).toEqual({ prefill: 0, decode: 20, total: 20 });
  });
});
