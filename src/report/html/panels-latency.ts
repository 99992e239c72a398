// Diagnostics rows 2 and 3 (docs/planner-in-the-loop.md#html-report): observed and estimated TTFT / ITL
// against their SLA lines (dashed red).

import { column, type ReportContext } from "./context.js";
import { formatNumber } from "./format.js";
import { timePanel } from "./lines.js";
import type { Panel } from "./panel.js";

const OBSERVED_COLOR = "#0072b2";
const ESTIMATED_COLOR = "#009e73";

function ttftSla(ctx: ReportContext): { label: string; value: number } {
  return { label: `TTFT SLA ${formatNumber(ctx.ttftSlaMs)} ms`, value: ctx.ttftSlaMs };
}

function itlSla(ctx: ReportContext): { label: string; value: number } {
  return { label: `ITL SLA ${formatNumber(ctx.itlSlaMs)} ms`, value: ctx.itlSlaMs };
}

export function observedTtftPanel(ctx: ReportContext): Panel {
  return timePanel({
    id: "observed-ttft",
    title: "Observed TTFT vs SLA",
    subtitle: "Mean time to first token over the last traffic window, as the planner saw it.",
    yAxisName: "TTFT (ms)",
    lines: [
      {
        name: "observed TTFT",
        points: column(ctx.ticks, (t) => t.observed_ttft_ms),
        color: OBSERVED_COLOR,
        step: true,
      },
    ],
    range: ctx.range,
    references: [ttftSla(ctx)],
    yAxis: { min: 0 },
  });
}

export function observedItlPanel(ctx: ReportContext): Panel {
  return timePanel({
    id: "observed-itl",
    title: "Observed ITL vs SLA",
    subtitle: "Mean inter-token latency over the last traffic window, as the planner saw it.",
    yAxisName: "ITL (ms)",
    lines: [
      {
        name: "observed ITL",
        points: column(ctx.ticks, (t) => t.observed_itl_ms),
        color: OBSERVED_COLOR,
        step: true,
      },
    ],
    range: ctx.range,
    references: [itlSla(ctx)],
    yAxis: { min: 0 },
  });
}

export function estimatedTtftPanel(ctx: ReportContext): Panel {
  return timePanel({
    id: "estimated-ttft",
    title: "Estimated TTFT vs SLA",
    subtitle:
      "Load-scaling estimate of the next TTFT (worst engine, KV-hit discount applied), on load ticks.",
    yAxisName: "TTFT (ms)",
    lines: [
      {
        name: "estimated TTFT",
        points: column(ctx.loadTicks, (t) => t.estimated_ttft_ms),
        color: ESTIMATED_COLOR,
      },
    ],
    range: ctx.range,
    references: [ttftSla(ctx)],
    yAxis: { min: 0 },
    noDataMessage: "no TTFT estimates (load scaling off or perf model not ready)",
  });
}

export function estimatedItlPanel(ctx: ReportContext): Panel {
  return timePanel({
    id: "estimated-itl",
    title: "Estimated ITL vs SLA",
    subtitle: "Load-scaling estimate of the next ITL (worst engine), on load ticks.",
    yAxisName: "ITL (ms)",
    lines: [
      {
        name: "estimated ITL",
        points: column(ctx.loadTicks, (t) => t.estimated_itl_ms),
        color: ESTIMATED_COLOR,
      },
    ],
    range: ctx.range,
    references: [itlSla(ctx)],
    yAxis: { min: 0 },
    noDataMessage: "no ITL estimates (load scaling off or perf model not ready)",
  });
}
