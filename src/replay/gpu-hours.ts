// GPU-hours of a planner-in-the-loop replay, two ways (docs/design.md#gpu-hours):
//   exact: every provisioned worker (starting, active or draining) × its GPUs, integrated
//     over simulated time from 0 to the end of the run (the last simulated event);
//   tick-sampled: Σ over ticks of (active prefill·g_p + active decode·g_d)·Δt / 3600, Δt being
//     the time since the previous tick — what the upstream recorder shows, kept beside the exact figure.

import type { PlannerSimulation, StageLayout } from "./planner-simulation.js";

export interface GpuHours {
  readonly prefill: number;
  readonly decode: number;
  readonly total: number;
}

export interface GpusPerReplica {
  readonly prefill: number;
  readonly decode: number;
}

const MS_PER_HOUR = 3_600_000;

/**
 * Exact GPU-hours up to `endMs`. The run's last advance moves the clock past the last event (to the tick that
 * found the trace finished); nothing is provisioned or released after the last event, so the provisioned count
 * over that tail is the current one and is taken back out. Agg reports everything under decode.
 */
export function exactGpuHours(
  sim: PlannerSimulation,
  layout: StageLayout,
  gpus: GpusPerReplica,
  endMs: number,
): GpuHours {
  const tailMs = Math.max(0, sim.now - endMs);
  const stageHours = (stage: number): number => {
    const c = sim.counts(stage);
    const provisioned = c.active + c.starting + c.draining;
    return Math.max(0, sim.workerHours(stage) - (provisioned * tailMs) / MS_PER_HOUR);
  };
  const prefill = layout.prefillStage === null ? 0 : stageHours(layout.prefillStage) * gpus.prefill;
  const decode = stageHours(layout.decodeStage) * gpus.decode;
  return { prefill, decode, total: prefill + decode };
}

/** Running tick-sampled GPU-hours: each tick adds its active GPUs × the time since the previous tick. */
export class TickSampledGpuHours {
  private readonly gpus: GpusPerReplica;
  private lastTickS = 0;
  private hours = 0;

  constructor(gpus: GpusPerReplica) {
    this.gpus = gpus;
  }

  get total(): number {
    return this.hours;
  }

  sample(nowS: number, activePrefill: number, activeDecode: number): number {
    const dtS = Math.max(0, nowS - this.lastTickS);
    this.hours += ((activePrefill * this.gpus.prefill + activeDecode * this.gpus.decode) * dtS) / 3600;
    this.lastTickS = Math.max(this.lastTickS, nowS);
    return this.hours;
  }
}
