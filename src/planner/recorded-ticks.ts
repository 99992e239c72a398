// Drives a PlannerStateMachine over recorded tick inputs (what `kvsim plan` does), so a config can be tried
// against metrics recorded from a live system. Pure: records in, one result per processed tick out.
//
// Policy: the state machine owns the schedule. Each record is offered to the next scheduled tick; a record whose
// now_s is earlier than that tick's time (beyond the 0.5 s merge tolerance) is skipped — the planner would still
// have been asleep. A record at or after it is consumed as that tick, at the record's own now_s (a late tick
// runs late, as the live loop does, and the next one is scheduled from it). The tick's flags mask the record:
// traffic is passed only when the tick asks for traffic, FPMs only on load ticks; worker counts always.

import { TICK_MERGE_TOLERANCE_S } from "./cadence.js";
import type { ObservedTraffic } from "./diagnostics-recorder.js";
import type { TickRecord } from "./observations-schema.js";
import type { PlannerStateMachine } from "./state-machine.js";
import type { PlannerEffects, ScheduledTick, TickInput } from "./types.js";

export interface RecordedTick {
  /** 1-based line in the observations file. */
  readonly line: number;
  readonly record: TickRecord;
}

export interface PlannedTick {
  readonly line: number;
  readonly tick: ScheduledTick;
  /** The input actually given to the state machine (after masking by the tick's flags). */
  readonly input: TickInput;
  readonly effects: PlannerEffects;
  /** Last observed traffic consumed so far (sticky between scrapes), for the diagnostics recorder. */
  readonly observed: ObservedTraffic | null;
  readonly numPrefillWorkers: number;
  readonly numDecodeWorkers: number;
  /** Sticky hit rate after the tick. */
  readonly lastKvHitRate: number | null;
  /** Cumulative GPU-hours: ready replicas held since the previous tick × their GPUs × elapsed time. */
  readonly gpuHours: number;
}

export interface ReplayRecordedOptions {
  /** Start of the schedule; default: first record's now_s − load_adjustment_interval (its first tick). */
  readonly startS?: number;
}

export interface ReplayRecordedSummary {
  readonly processedTicks: number;
  /** Lines of records that fell before the next scheduled tick. */
  readonly skippedLines: readonly number[];
}

export function replayRecordedTicks(
  machine: PlannerStateMachine,
  ticks: readonly RecordedTick[],
  options: ReplayRecordedOptions,
  onTick: (planned: PlannedTick) => void,
): ReplayRecordedSummary {
  const config = machine.config;
  const first = ticks[0];
  if (first === undefined) return { processedTicks: 0, skippedLines: [] };
  const startS = options.startS ?? first.record.input.nowS - config.loadAdjustmentIntervalS;
  let next = machine.initialTick(startS);
  const gpusPrefill = machine.numGpu("prefill") ?? 0;
  const gpusDecode = machine.numGpu("decode") ?? 0;
  const skippedLines: number[] = [];
  let processedTicks = 0;
  let observed: ObservedTraffic | null = null;
  let gpuHours = 0;
  let lastNowS: number | null = null;
  for (const { line, record } of ticks) {
    const raw = record.input;
    if (raw.nowS + TICK_MERGE_TOLERANCE_S < next.atS) {
      skippedLines.push(line);
      continue;
    }
    const traffic = next.needTrafficMetrics ? (raw.traffic ?? null) : null;
    const input: TickInput = {
      nowS: raw.nowS,
      traffic: traffic !== null && !config.kvHitRateAwareness ? { ...traffic, kvHitRate: null } : traffic,
      workerCounts: next.needWorkerStates ? (raw.workerCounts ?? null) : null,
      fpmObservations: next.needWorkerFpm ? (raw.fpmObservations ?? null) : null,
    };
    if (traffic !== null && record.observed !== null) {
      observed = config.kvHitRateAwareness ? record.observed : { ...record.observed, kvHitRate: null };
    }
    if (lastNowS !== null) {
      const gpus = machine.numPrefillWorkers * gpusPrefill + machine.numDecodeWorkers * gpusDecode;
      gpuHours += (gpus * Math.max(0, raw.nowS - lastNowS)) / 3600;
    }
    lastNowS = raw.nowS;
    const tick = next;
    const effects = machine.onTick(tick, input);
    processedTicks++;
    onTick({
      line,
      tick,
      input,
      effects,
      observed,
      numPrefillWorkers: machine.numPrefillWorkers,
      numDecodeWorkers: machine.numDecodeWorkers,
      lastKvHitRate: machine.lastKvHitRate,
      gpuHours,
    });
    next = effects.nextTick;
  }
  return { processedTicks, skippedLines };
}
