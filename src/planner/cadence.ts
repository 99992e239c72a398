// Tick cadence (docs/planner.md#cadence). Two clocks — load ticks every `load_adjustment_interval` seconds
// (always running: they are also when live FPMs feed the regressions) and throughput ticks every
// `throughput_adjustment_interval` seconds (only when throughput scaling is on). Ticks due within 0.5 s of each
// other merge into one. Re-scheduling is relative to the tick's observed `now_s`, so drift accumulates.

import type { ScheduledTick } from "./types.js";

/** Ticks due within this many seconds of the earliest one run together. */
export const TICK_MERGE_TOLERANCE_S = 0.5;

export interface CadenceSettings {
  readonly loadIntervalS: number;
  readonly throughputIntervalS: number;
  readonly throughputEnabled: boolean;
}

export class TickScheduler {
  private readonly settings: CadenceSettings;
  private nextLoad = Number.POSITIVE_INFINITY;
  private nextThroughput = Number.POSITIVE_INFINITY;

  constructor(settings: CadenceSettings) {
    this.settings = settings;
  }

  get nextLoadS(): number {
    return this.nextLoad;
  }

  get nextThroughputS(): number {
    return this.nextThroughput;
  }

  initialTick(startS: number): ScheduledTick {
    this.nextLoad = startS + this.settings.loadIntervalS;
    if (this.settings.throughputEnabled) this.nextThroughput = startS + this.settings.throughputIntervalS;
    return this.nextScheduledTick();
  }

  /** Called after a throughput tick ran at `nowS` (even when its traffic was missing). */
  throughputTickDone(nowS: number): void {
    this.nextThroughput = nowS + this.settings.throughputIntervalS;
  }

  /** Called after a load tick ran at `nowS` (even when its FPMs were missing). */
  loadTickDone(nowS: number): void {
    this.nextLoad = nowS + this.settings.loadIntervalS;
  }

  nextScheduledTick(): ScheduledTick {
    const atS = Math.min(this.nextLoad, this.nextThroughput);
    const isLoad = this.nextLoad <= atS + TICK_MERGE_TOLERANCE_S;
    const isThroughput = this.nextThroughput <= atS + TICK_MERGE_TOLERANCE_S;
    let needTrafficMetrics = false;
    let trafficMetricsDurationS = 0;
    if (isThroughput) {
      needTrafficMetrics = true;
      trafficMetricsDurationS = this.settings.throughputIntervalS;
    } else if (isLoad && !this.settings.throughputEnabled) {
      // Load-only deployments scrape just the KV hit rate, over the load interval.
      needTrafficMetrics = true;
      trafficMetricsDurationS = this.settings.loadIntervalS;
    }
    return {
      atS,
      runLoadScaling: isLoad,
      runThroughputScaling: isThroughput,
      needTrafficMetrics,
      trafficMetricsDurationS,
      needWorkerStates: true,
      needWorkerFpm: isLoad,
    };
  }
}
