// kvsim additions: TTFT and ITL distributions of the whole replay as CDFs against the SLA (vertical dashed red
// line), with the attainment fraction (docs/design.md#sla-attainment, inclusive) in the subtitle.

import { niceCeil, valueAxis } from "./axes.js";
import type { ReportContext } from "./context.js";
import type { Point } from "./downsample.js";
import { formatFixed, formatNumber, formatPercent } from "./format.js";
import { linePanel, verticalLineSeries } from "./lines.js";
import type { Panel } from "./panel.js";

const POOLED_COLOR = "#0072b2";
const PER_REQUEST_COLOR = "#e69f00";

function cdfPoints(cdf: readonly (readonly [number, number])[]): Point[] {
  return cdf.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).map((p) => [p[0], p[1]] as const);
}

/** x axis up to the largest value or a little past the SLA, whichever is further, so the SLA line shows. */
function xMax(slaMs: number, ...cdfs: readonly Point[][]): number {
  let max = slaMs * 1.1;
  for (const c of cdfs) {
    const last = c[c.length - 1];
    if (last !== undefined && last[0] > max) max = last[0];
  }
  return niceCeil(max);
}

function fractionAxis(): ReturnType<typeof valueAxis> {
  return valueAxis("cumulative fraction (CDF)", { min: 0, max: 1, percent: true });
}

export function ttftCdfPanel(ctx: ReportContext): Panel {
  const sla = ctx.planner.sla_attainment;
  const ttft = cdfPoints(ctx.planner.distributions.ttft_ms_cdf);
  return linePanel({
    id: "ttft-cdf",
    title: "TTFT Distribution (CDF) vs SLA",
    subtitle: `${formatPercent(sla.ttft_fraction)} of ${formatFixed(sla.ttft_requests, 0)} requests with a first token met the TTFT SLA (≤ ${formatNumber(sla.ttft_sla_ms)} ms).`,
    xAxis: valueAxis("TTFT (ms)", { min: 0, max: xMax(sla.ttft_sla_ms, ttft), horizontal: true }),
    yAxis: fractionAxis(),
    lines: [{ name: "per-request TTFT", points: ttft, color: POOLED_COLOR, step: true, widthPx: 2 }],
    overlays: [
      {
        name: `TTFT SLA ${formatNumber(sla.ttft_sla_ms)} ms`,
        series: verticalLineSeries({
          label: `TTFT SLA ${formatNumber(sla.ttft_sla_ms)} ms`,
          value: sla.ttft_sla_ms,
        }),
      },
    ],
    noDataMessage: "no request produced a first token",
  });
}

export function itlCdfPanel(ctx: ReportContext): Panel {
  const sla = ctx.planner.sla_attainment;
  const pooled = cdfPoints(ctx.planner.distributions.itl_ms_cdf);
  const perRequest = cdfPoints(ctx.planner.distributions.mean_itl_ms_cdf);
  const label = `ITL SLA ${formatNumber(sla.itl_sla_ms)} ms`;
  return linePanel({
    id: "itl-cdf",
    title: "ITL Distribution (CDF) vs SLA",
    subtitle: `${formatPercent(sla.itl_fraction)} of ${formatFixed(sla.itl_requests, 0)} requests with ≥ 2 tokens met the ITL SLA on their mean ITL (≤ ${formatNumber(sla.itl_sla_ms)} ms). Pooled: every inter-token gap.`,
    xAxis: valueAxis("inter-token latency (ms)", {
      min: 0,
      max: xMax(sla.itl_sla_ms, pooled, perRequest),
      horizontal: true,
    }),
    yAxis: fractionAxis(),
    lines: [
      { name: "per-request mean ITL", points: perRequest, color: PER_REQUEST_COLOR, step: true, widthPx: 2 },
      { name: "pooled ITL (all gaps)", points: pooled, color: POOLED_COLOR, step: true, widthPx: 1.6 },
    ],
    overlays: [{ name: label, series: verticalLineSeries({ label, value: sla.itl_sla_ms }) }],
    noDataMessage: "no request produced two tokens",
  });
}
