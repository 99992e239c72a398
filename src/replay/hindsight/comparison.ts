// `--compare-hindsight`: a planner run's GPU-hours against the hindsight schedule and the cheapest static cluster
// for the same trace, cluster and SLA (the planner config's ttft, itl and sla_attainment_target).

import type { PlannerConfig } from "../../planner/config.js";
import type { ComparisonJson, PlannerSection } from "../../report/planner-result.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import { runHindsight } from "./hindsight.js";

/** [time_s, count] steps of each component's provisioned replicas, from its initial count and scaling events. */
export function replicaSteps(section: PlannerSection): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const [component, stats] of Object.entries(section.replicas)) out[component] = [[0, stats.initial]];
  for (const e of section.scaling_events) out[e.component]?.push([e.at_s, e.to_count]);
  return out;
}

/** The comparison section (the hindsight search also yields the cheapest static cluster). */
export function compareWithHindsight(
  trace: TraceColumns,
  options: ClusterOptions,
  config: PlannerConfig,
  planner: PlannerSection,
  traceName: string,
): ComparisonJson {
  const h = runHindsight(trace, options, { ...config, scalingPolicy: "hindsight" }, traceName).planner;
  const record = h.hindsight;
  if (record === undefined) throw new Error("hindsight run without its record");
  const plannerHours = planner.gpu_hours.total;
  const s = record.static;
  return {
    attainment_target: config.slaAttainmentTarget,
    hindsight: {
      gpu_hours: h.gpu_hours.total,
      ttft_fraction: h.sla_attainment.ttft_fraction,
      itl_fraction: h.sla_attainment.itl_fraction,
      planner_ratio: plannerHours / h.gpu_hours.total,
      chosen: record.chosen,
      trials: record.trials,
      replica_steps: replicaSteps(h),
    },
    cheapest_static: {
      gpu_hours: s.gpu_hours,
      ttft_fraction: s.ttft_fraction,
      itl_fraction: s.itl_fraction,
      planner_ratio: plannerHours / s.gpu_hours,
      prefill: s.prefill,
      decode: s.decode,
      gpus: s.gpus,
    },
  };
}

function percent(f: number): string {
  return `${(100 * f).toFixed(1)}%`;
}

/** The two summary lines printed after the planner's. */
export function comparisonLines(c: ComparisonJson): string[] {
  const h = c.hindsight;
  const s = c.cheapest_static;
  const size = s.prefill === null ? `${s.decode} workers` : `${s.prefill}P+${s.decode}D`;
  return [
    `Hindsight: GPU-hours ${h.gpu_hours.toFixed(4)} (TTFT ${percent(h.ttft_fraction)}, ITL ${percent(h.itl_fraction)}; ` +
      `${h.chosen === "static" ? "static cluster, " : ""}${h.trials} trial simulations); planner uses ${h.planner_ratio.toFixed(2)}x`,
    `Cheapest static: ${size}, GPU-hours ${s.gpu_hours.toFixed(4)} (TTFT ${percent(s.ttft_fraction)}, ITL ${percent(s.itl_fraction)}); ` +
      `planner uses ${s.planner_ratio.toFixed(2)}x`,
  ];
}
