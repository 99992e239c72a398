// The lines `kvsim replay --planner-config` prints after the metrics table: the scaling events, one per line in
// the upstream replay's format, then a short planner summary (ticks, replicas, GPU-hours, SLA attainment).

import type { PlannerSection, ScalingEvent } from "./planner-result.js";

/** `t=125.0s [decode]: 2 -> 3 workers (scale_up)` — the replay CLI's line per event. */
export function formatScalingEvent(event: ScalingEvent): string {
  return `t=${event.atS.toFixed(1)}s [${event.component}]: ${event.fromCount} -> ${event.toCount} workers (${event.reason})`;
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}

export function plannerSummaryLines(section: PlannerSection): string[] {
  const lines: string[] = [];
  if (section.scaling_events.length === 0) lines.push("Scaling events: none");
  else {
    lines.push("Scaling events:");
    for (const e of section.scaling_events) {
      lines.push(
        `  ${formatScalingEvent({ atS: e.at_s, component: e.component, fromCount: e.from_count, toCount: e.to_count, reason: e.reason })}`,
      );
    }
  }
  const replicas = Object.entries(section.replicas)
    .map(([name, r]) => `${name} peak ${r.peak}, mean ${r.time_weighted_mean.toFixed(2)}`)
    .join("; ");
  lines.push(
    `Planner: ${section.ticks} ticks; replicas ${replicas}; GPU-hours ${section.gpu_hours.total.toFixed(4)} ` +
      `(tick-sampled ${section.gpu_hours_tick_sampled.toFixed(4)})`,
  );
  const sla = section.sla_attainment;
  lines.push(
    `SLA attainment: TTFT <= ${sla.ttft_sla_ms} ms ${percent(sla.ttft_fraction)} of ${sla.ttft_requests} requests, ` +
      `mean ITL <= ${sla.itl_sla_ms} ms ${percent(sla.itl_fraction)} of ${sla.itl_requests} requests`,
  );
  return lines;
}
