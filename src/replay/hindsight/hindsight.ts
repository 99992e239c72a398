// `scaling_policy: hindsight` — the replay entry: the cheapest static cluster meeting the SLA attainment target
// (static-search.ts; none within the budget → an input error naming the planner config field), the searched
// schedule (hindsight-search.ts), and the cheaper of the two that meets the target, replayed into a planner
// section (schedule-section.ts). A static cluster is itself a schedule, so hindsight's GPU-hours never exceed the
// cheapest static cluster's found by the same search — by construction.

import type { PlannerConfig } from "../../planner/config.js";
import type {
  HindsightJson,
  PlannerSection,
  ScalingEvent,
  StaticClusterJson,
} from "../../report/planner-result.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { ClusterSimulation } from "../../sim/cluster/cluster-simulation.js";
import type { TraceColumns } from "../../trace/columns.js";
import { inputErrorAt } from "../../util/errors.js";
import { maxKvTokensOf } from "../capabilities.js";
import { exactGpuHours } from "../gpu-hours.js";
import { checkPlannerMode } from "../planner-replay.js";
import { stageLayout } from "../planner-simulation.js";
import { slaAttainment } from "../sla-attainment.js";
import { searchHindsight } from "./hindsight-search.js";
import { gpusOf, type PoolLimits, poolLimits } from "./pool-limits.js";
import type { PoolSizes, ScheduleTiming } from "./schedule.js";
import { type ScheduleRecord, scheduleEvents, scheduleSection } from "./schedule-section.js";
import { cheapestStatic, type StaticSearchResult } from "./static-search.js";
import type { SlaTarget } from "./window-judge.js";

export interface HindsightRun {
  readonly planner: PlannerSection;
  readonly simulation: ClusterSimulation;
  readonly scalingEvents: readonly ScalingEvent[];
}

/** Window length, ms: `hindsight_window`, else the load interval. */
export function hindsightWindowMs(config: PlannerConfig): number {
  return (config.hindsightWindowS ?? config.loadAdjustmentIntervalS) * 1000;
}

export function scheduleTiming(options: ClusterOptions, windowMs: number): ScheduleTiming {
  const startupMs = (s: number | null | undefined): number => (s ?? 0) * 1000;
  return options.mode === "agg"
    ? { windowMs, prefillStartupMs: 0, decodeStartupMs: startupMs(options.engineArgs.startup_time) }
    : {
        windowMs,
        prefillStartupMs: startupMs(options.prefillEngineArgs.startup_time),
        decodeStartupMs: startupMs(options.decodeEngineArgs.startup_time),
      };
}

export function slaTargetOf(config: PlannerConfig): SlaTarget {
  return { ttftMs: config.ttftMs, itlMs: config.itlMs, attainment: config.slaAttainmentTarget };
}

function describe(limits: PoolLimits, s: PoolSizes): string {
  return limits.disagg ? `${s.prefill}P+${s.decode}D` : `${s.decode} workers`;
}

/** The cheapest static cluster, or an input error when none within the budget meets the target. */
export function requireStatic(
  trace: TraceColumns,
  options: ClusterOptions,
  config: PlannerConfig,
  source = "planner config",
): { readonly result: StaticSearchResult; readonly limits: PoolLimits } {
  const limits = poolLimits(config, options.mode === "disagg", source);
  const sla = slaTargetOf(config);
  const result = cheapestStatic({ trace, options, limits, sla });
  if (result.best === null) {
    throw inputErrorAt(
      source,
      null,
      "sla_attainment_target",
      `no cluster within max_gpu_budget ${config.maxGpuBudget} GPUs meets TTFT <= ${config.ttftMs} ms and ITL <= ${config.itlMs} ms ` +
        `for ${config.slaAttainmentTarget} of requests (largest static cluster tried: ${describe(limits, result.largest)}); ` +
        "lower the target, relax ttft/itl or raise the budget",
    );
  }
  return { result, limits };
}

export function staticClusterJson(
  limits: PoolLimits,
  run: NonNullable<StaticSearchResult["best"]>,
  config: PlannerConfig,
): StaticClusterJson {
  const a = slaAttainment(run.simulation.collector, config.ttftMs, config.itlMs);
  return {
    prefill: limits.disagg ? run.sizes.prefill : null,
    decode: run.sizes.decode,
    gpus: gpusOf(limits, run.sizes),
    gpu_hours: run.gpuHours,
    ttft_fraction: a.ttftFraction,
    itl_fraction: a.itlFraction,
  };
}

/** Replays a trace under `scaling_policy: hindsight` (see the header). */
export function runHindsight(
  trace: TraceColumns,
  options: ClusterOptions,
  config: PlannerConfig,
  traceName: string,
): HindsightRun {
  checkPlannerMode(config, options.mode);
  const { result: statics, limits } = requireStatic(trace, options, config);
  const best = statics.best as NonNullable<StaticSearchResult["best"]>;
  const layout = stageLayout(options.mode);
  const windowMs = hindsightWindowMs(config);
  const timing = scheduleTiming(options, windowMs);
  const sla = slaTargetOf(config);
  const found = searchHindsight({ trace, options, layout, limits, timing, sla });
  const gpus = { prefill: limits.prefillGpus, decode: limits.decodeGpus };
  const a = slaAttainment(found.simulation.collector, config.ttftMs, config.itlMs);
  // A fraction over no eligible request is reported as 0 (sla-attainment.ts) but is met vacuously.
  const meets =
    (a.ttftRequests === 0 || a.ttftFraction >= sla.attainment) &&
    (a.itlRequests === 0 || a.itlFraction >= sla.attainment);
  const scheduleRecord: ScheduleRecord = {
    simulation: found.simulation,
    endMs: found.endMs,
    windowMs,
    windows: found.windows,
    changes: found.changes,
  };
  const scheduleHours = exactGpuHours(found.simulation, layout, gpus, found.endMs).total;
  const chosen: "schedule" | "static" = meets && scheduleHours <= best.gpuHours ? "schedule" : "static";
  const record: ScheduleRecord =
    chosen === "schedule"
      ? scheduleRecord
      : {
          simulation: best.simulation,
          endMs: best.endMs,
          windowMs,
          windows: [{ sizes: best.sizes, reason: "hindsight_static" }],
          changes: [],
        };
  const hindsight: HindsightJson = {
    window_s: windowMs / 1000,
    attainment_target: sla.attainment,
    chosen,
    trials: found.trials,
    static_replays: statics.replays,
    schedule_gpu_hours: scheduleHours,
    schedule_meets_target: meets,
    static: staticClusterJson(limits, best, config),
    windows: found.windows.map((w, i) => ({
      start_s: (i * windowMs) / 1000,
      prefill: limits.disagg ? w.sizes.prefill : null,
      decode: w.sizes.decode,
      reason: w.reason,
      trials: w.trials,
    })),
  };
  const decodeArgs = options.mode === "agg" ? options.engineArgs : options.decodeEngineArgs;
  const maxKv = maxKvTokensOf(decodeArgs);
  const planner = scheduleSection(
    record,
    layout,
    config,
    gpus,
    traceName,
    maxKv > 0 ? maxKv : null,
    hindsight,
  );
  return { planner, simulation: record.simulation, scalingEvents: scheduleEvents(record, layout) };
}
