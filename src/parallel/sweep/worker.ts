import { threadId, workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import type { PlannerConfig } from "../../planner/config.js";
import { runReplay } from "../../replay/run-replay.js";
import { PLANNER_ROW_KEYS, type PlannerRowKey, ROW_METRIC_KEYS } from "../../report/capacity/row-keys.js";
import { kvTierRowMetrics } from "../../report/capacity/row-kv-tiers.js";
import type { PlannerSection } from "../../report/planner-result.js";
import type { ReplayReport, ReportKey } from "../../report/summary.js";
import type { TraceColumns } from "../../trace/columns.js";
import { isInputError } from "../../util/errors.js";
import {
  type PingTask,
  type PointDoneReply,
  type PointFailedReply,
  type PongReply,
  type RunPointTask,
  SweepReplyTag,
  type SweepTask,
  SweepTaskTag,
  type SweepWorkerData,
} from "./protocol.js";
import { sharedTraceColumns } from "./shared-trace.js";

/**
 * Piscina worker entry of the sweep pool (runs compiled: dist/src/parallel/sweep/worker.js). Each task replays
 * one grid point — a plain replay, or one with the planner in the loop — over a trace shared with every
 * thread, and replies with its metrics in transferred Float64Arrays. Progress goes through the shared counters,
 * not messages.
 */

const data = workerData as SweepWorkerData;
/** Column views over each shared trace, made once per thread. */
const traces: (TraceColumns | null)[] = data.traces.map(() => null);

function traceAt(slot: number): TraceColumns {
  let t = traces[slot];
  if (t === undefined) throw new RangeError(`sweep worker: no trace in slot ${slot}`);
  if (t === null) {
    t = sharedTraceColumns(data.traces[slot] as (typeof data.traces)[number]);
    traces[slot] = t;
  }
  return t;
}

/** Completed requests between two counter updates: cheap enough to be invisible, often enough for a smooth bar. */
const PROGRESS_EVERY = 64;

/** The report's row metrics in ROW_METRIC_KEYS order; a statistic without samples (null) travels as NaN. */
function rowMetrics(report: ReplayReport): Float64Array {
  const metrics = new Float64Array(ROW_METRIC_KEYS.length);
  for (let k = 0; k < ROW_METRIC_KEYS.length; k++)
    metrics[k] = report[ROW_METRIC_KEYS[k] as ReportKey] ?? Number.NaN;
  return metrics;
}

/** The planner section's row figures in PLANNER_ROW_KEYS order (GPUs = replicas × GPUs per replica). */
function plannerMetrics(planner: PlannerSection, config: PlannerConfig): Float64Array {
  const gpusOf = (component: string): number =>
    component === "prefill" ? (config.prefillEngineNumGpu ?? 1) : (config.decodeEngineNumGpu ?? 1);
  let peak = 0;
  let mean = 0;
  for (const [component, stats] of Object.entries(planner.replicas)) {
    peak += stats.peak * gpusOf(component);
    mean += stats.time_weighted_mean * gpusOf(component);
  }
  const values: Record<PlannerRowKey, number> = {
    planner_gpu_hours_tick_sampled: planner.gpu_hours_tick_sampled,
    planner_peak_gpus: peak,
    planner_mean_gpus: mean,
    planner_scaling_events: planner.scaling_events.length,
    planner_replica_transitions: planner.replica_transitions,
    planner_ttft_sla_attainment: planner.sla_attainment.ttft_fraction,
    planner_itl_sla_attainment: planner.sla_attainment.itl_fraction,
  };
  return Float64Array.from(PLANNER_ROW_KEYS, (key) => values[key]);
}

function runPoint(task: RunPointTask, startedMs: number): PointDoneReply {
  if (task.fault !== null) {
    if (task.fault.kind === "exit") process.exit(70); // ends this thread only (worker_threads semantics)
    throw new Error(`injected fault in point ${task.pointIndex}`);
  }
  const trace = traceAt(task.traceSlot);
  const progress = data.progress;
  const slot = task.progressSlot;
  const hooks = {
    progressEvery: PROGRESS_EVERY,
    onProgress: (done: number): void => {
      Atomics.store(progress, slot, done);
    },
  };
  const config = task.plannerConfig;
  const planner =
    config === null
      ? null
      : {
          config,
          benchmarkGranularity: task.benchmarkGranularity,
          warmup: task.plannerWarmup,
          traceName: task.traceName,
        };
  const run = runReplay(trace, task.options, { planner, hooks });
  const reply: PointDoneReply = {
    tag: SweepReplyTag.PointDone,
    pointIndex: task.pointIndex,
    metrics: rowMetrics(run.report),
    plannerMetrics: run.planner === null || config === null ? null : plannerMetrics(run.planner, config),
    kvTierMetrics: run.kvTiers === null ? null : kvTierRowMetrics(run.kvTiers),
    plannerGpuHours: run.planner === null ? null : run.planner.gpu_hours.total,
    wallTimeMs: run.wallTimeMs,
    taskMs: performance.now() - startedMs,
  };
  Atomics.store(progress, slot, trace.count);
  return reply;
}

function failure(task: RunPointTask, error: unknown): PointFailedReply {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    tag: SweepReplyTag.PointFailed,
    pointIndex: task.pointIndex,
    errorName: err.name,
    message: err.message,
    inputError: isInputError(err),
    stack: err.stack ?? "",
  };
}

function pong(_task: PingTask): PongReply {
  return { tag: SweepReplyTag.Pong, threadId };
}

export default async function sweepTask(task: SweepTask): Promise<unknown> {
  if (task.tag === SweepTaskTag.Ping) return pong(task);
  const startedMs = performance.now();
  let reply: PointDoneReply;
  try {
    reply = runPoint(task, startedMs);
  } catch (error) {
    return failure(task, error);
  }
  const buffers: ArrayBuffer[] = [reply.metrics.buffer as ArrayBuffer];
  if (reply.plannerMetrics !== null) buffers.push(reply.plannerMetrics.buffer as ArrayBuffer);
  if (reply.kvTierMetrics !== null) buffers.push(reply.kvTierMetrics.buffer as ArrayBuffer);
  return move({
    get [transferableSymbol]() {
      return buffers;
    },
    get [valueSymbol]() {
      return reply;
    },
  });
}
