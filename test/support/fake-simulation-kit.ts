// A scripted PlannerSimulation for adapter tests: the test decides, per advance, the last event time, the worker
// counts, the forward-pass snapshots and the traffic window, and reads back every call the adapter made.

import type { ForwardPassMetrics } from "../../src/planner/types.js";
import type { PlannerSimulation } from "../../src/replay/planner-simulation.js";
import { EMPTY_BACKLOG, type StageBacklog } from "../../src/signals/backlog.js";
import { ITL_BUCKET_COUNT, TTFT_BUCKET_COUNT } from "../../src/signals/latency-buckets.js";
import type { TrafficStats } from "../../src/signals/traffic-accumulator.js";
import type { AdvanceResult, StageCounts, WorkerKvUsage } from "../../src/sim/cluster/cluster-simulation.js";
import { RequestCollector } from "../../src/sim/collector.js";

export interface FakeStep {
  /** Last event time reported for this advance (default: the target itself). */
  readonly lastEventMs?: number;
  /** FPM snapshots per stage handed out by the next takeFpmSnapshots calls. */
  readonly snapshots?: Readonly<Record<number, readonly ForwardPassMetrics[]>>;
  /** Traffic returned if the adapter drains during this tick. */
  readonly traffic?: TrafficStats;
  /** Backlog per stage reported after this advance (default: empty). */
  readonly backlog?: Readonly<Record<number, StageBacklog>>;
}

export interface FakeOptions {
  /** Active workers per stage at the start. */
  readonly active: readonly number[];
  /** The run is done at the first advance whose target is at or past this time. */
  readonly doneAtMs: number;
  /** Per advance (by call index); missing steps use the defaults. */
  readonly steps?: readonly FakeStep[];
  /** Advances a scaled-up worker spends starting before it is active (default 0: active at once). */
  readonly startupAdvances?: number;
  readonly maxAdvances?: number;
}

export class FakeSimulation implements PlannerSimulation {
  now = 0;
  readonly nextEventMs = 0;
  readonly collector = new RequestCollector(0);
  readonly advances: number[] = [];
  readonly drainsAtMs: number[] = [];
  readonly scalings: { atMs: number; prefill: number; decode: number }[] = [];
  private readonly options: FakeOptions;
  private readonly state: { active: number; starting: number; readyIn: number }[];
  private step: FakeStep = {};

  constructor(options: FakeOptions) {
    this.options = options;
    this.state = options.active.map((n) => ({ active: n, starting: 0, readyIn: 0 }));
  }

  advanceTo(untilMs: number): AdvanceResult {
    if (this.advances.length >= (this.options.maxAdvances ?? 200)) throw new Error("fake: too many advances");
    this.step = this.options.steps?.[this.advances.length] ?? {};
    this.advances.push(untilMs);
    for (const s of this.state) {
      if (s.starting > 0 && --s.readyIn <= 0) {
        s.active += s.starting;
        s.starting = 0;
      }
    }
    this.now = Math.max(this.now, untilMs);
    return { lastEventMs: this.step.lastEventMs ?? untilMs, isDone: untilMs >= this.options.doneAtMs };
  }

  drainTraffic(): TrafficStats {
    this.drainsAtMs.push(this.now);
    return this.step.traffic ?? traffic({ durationS: 0 });
  }

  applyScaling(targetPrefill: number, targetDecode: number): void {
    this.scalings.push({ atMs: this.now, prefill: targetPrefill, decode: targetDecode });
    const targets = this.state.length === 1 ? [targetDecode] : [targetPrefill, targetDecode];
    targets.forEach((target, i) => {
      const s = this.state[i] as { active: number; starting: number; readyIn: number };
      const delay = this.options.startupAdvances ?? 0;
      if (target <= s.active) {
        s.active = target;
        s.starting = 0;
      } else if (delay > 0) {
        s.starting = target - s.active;
        s.readyIn = delay;
      } else s.active = target;
    });
  }

  counts(stageIndex: number): StageCounts {
    const s = this.state[stageIndex] as { active: number; starting: number };
    return { active: s.active, starting: s.starting, draining: 0 };
  }

  backlog(stageIndex: number): StageBacklog {
    return this.step.backlog?.[stageIndex] ?? EMPTY_BACKLOG;
  }

  takeFpmSnapshots(stageIndex: number): ForwardPassMetrics[] {
    return [...(this.step.snapshots?.[stageIndex] ?? [])];
  }

  workerHours(_stageIndex: number): number {
    return 0;
  }

  kvUsage(_stageIndex: number): WorkerKvUsage[] {
    return [];
  }
}

/** A forward-pass snapshot with every field 0 except those given. */
export function fpm(
  workerId: number,
  fields: {
    wallTime?: number;
    numPrefill?: number;
    prefillTokens?: number;
    numDecode?: number;
    decodeKv?: number;
    queuedPrefill?: number;
    queuedDecodeKv?: number;
  } = {},
): ForwardPassMetrics {
  return {
    workerId: String(workerId),
    dpRank: 0,
    counterId: 0,
    wallTime: fields.wallTime ?? 0,
    scheduled: {
      numPrefillRequests: fields.numPrefill ?? 0,
      sumPrefillTokens: fields.prefillTokens ?? 0,
      varPrefillLength: 0,
      sumPrefillKvTokens: 0,
      numDecodeRequests: fields.numDecode ?? 0,
      sumDecodeKvTokens: fields.decodeKv ?? 0,
      varDecodeKvTokens: 0,
    },
    queued: {
      numPrefillRequests: 0,
      sumPrefillTokens: fields.queuedPrefill ?? 0,
      varPrefillLength: 0,
      numDecodeRequests: 0,
      sumDecodeKvTokens: fields.queuedDecodeKv ?? 0,
      varDecodeKvTokens: 0,
    },
  };
}

/** A traffic window of `durationS` seconds. */
export function traffic(fields: Partial<TrafficStats> & { durationS: number }): TrafficStats {
  return {
    numReq: 0,
    avgIsl: 0,
    avgOsl: 0,
    avgTtftMs: 0,
    avgItlMs: 0,
    avgKvHitRate: 0,
    hitRateCount: 0,
    hitRateSum: 0,
    arrivedNumReq: 0,
    arrivedAvgIsl: 0,
    arrivedAvgOsl: 0,
    engineReusedTokens: 0,
    engineQueriedTokens: 0,
    ttftBucketCounts: new Array<number>(TTFT_BUCKET_COUNT).fill(0),
    itlBucketCounts: new Array<number>(ITL_BUCKET_COUNT).fill(0),
    ...fields,
  };
}
