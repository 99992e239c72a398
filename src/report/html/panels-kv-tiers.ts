// kvsim additions for runs whose workers keep KV in host (G2) or disk (G3) tiers below the GPU (G1): where the
// reused prompt tokens came from, and how long onboarding them back into GPU memory took (docs/replay.md#kv-tiers).
// Both panels read the result's kv_tiers section and exist only when it does, so pages of runs without tiers are
// unchanged.

import type { BarSeriesOption, EChartsOption } from "echarts";
import type { KvTiersSection } from "../kv-tiers.js";
import { niceCeil, plotGrid, valueAxis } from "./axes.js";
import { AXIS_COLOR, FONT_FAMILY, renderChartSvg } from "./chart.js";
import { column, type ReportContext } from "./context.js";
import type { Point } from "./downsample.js";
import { formatFixed, formatNumber, formatPercent } from "./format.js";
import { linePanel, timePanel, verticalLineSeries } from "./lines.js";
import type { Panel } from "./panel.js";

/**
 * One colour per tier, hot to cold: GPU, host memory, disk (the palette's first three, written as rgb() like the
 * heat-strip cells, which is how the browser test tells filled data shapes from legend and axis marks).
 */
export const TIER_COLORS = ["rgb(0,114,178)", "rgb(230,159,0)", "rgb(0,158,115)"] as const;
const TIER_NAMES = ["GPU (G1)", "host (G2)", "disk (G3)"] as const;
const CDF_COLOR = "#0072b2";
const P50_COLOR = "#7f7f7f";
const P99_COLOR = "#d55e00";

/** Share of all prompt tokens reused from each tier, G1 to G3. */
export function tierShares(t: KvTiersSection): readonly [number, number, number] {
  return [t.reused_ratio_g1, t.reused_ratio_g2, t.reused_ratio_g3];
}

function tierReusePanel(t: KvTiersSection): Panel {
  const shares = tierShares(t);
  const total = shares[0] + shares[1] + shares[2];
  const series: BarSeriesOption = {
    type: "bar",
    name: "share of prompt tokens",
    data: shares.map((value, i) => ({ value, itemStyle: { color: TIER_COLORS[i] as string } })),
    barWidth: "45%",
    label: {
      show: true,
      position: "top",
      formatter: (p: { value?: unknown }) => formatPercent(typeof p.value === "number" ? p.value : null),
      fontFamily: FONT_FAMILY,
      fontSize: 12,
    },
    emphasis: { disabled: true },
  };
  const option: EChartsOption = {
    grid: plotGrid(24),
    xAxis: {
      type: "category",
      data: [...TIER_NAMES],
      name: "tier the hit came from",
      nameLocation: "middle",
      nameGap: 28,
      nameTextStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: AXIS_COLOR, fontWeight: "bold" },
    },
    yAxis: valueAxis("share of prompt tokens", {
      min: 0,
      max: Math.min(1, niceCeil(Math.max(...shares, 0.01) * 1.15)),
      percent: true,
    }),
    series: [series],
  };
  const title = "KV Cache Reuse by Tier";
  return {
    id: "kv-tier-reuse",
    title,
    subtitle:
      `Share of the prompt tokens of completed requests found cached in each tier; together ${formatPercent(total)} ` +
      "(the prefix-cache reuse). Host and disk hits are onboarded into GPU memory before the request's prefill.",
    svg: renderChartSvg({ id: "panel-kv-tier-reuse", label: title, option }),
  };
}

function onboardingCdfPanel(t: KvTiersSection, cdf: readonly (readonly [number, number])[]): Panel {
  const o = t.onboarding;
  const points: Point[] = cdf
    .filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map((p) => [p[0], p[1]] as const);
  const last = points[points.length - 1];
  const summary =
    o.requests === 0
      ? "No request onboarded KV from host or disk."
      : `${formatFixed(o.requests, 0)} requests onboarded KV from host or disk, ${formatNumber(o.bytes / 1e9)} GB in all; ` +
        `mean ${formatNumber(o.mean_ms)} ms, p50 ${formatNumber(o.p50_ms)} ms, p99 ${formatNumber(o.p99_ms)} ms.`;
  const overlays = [
    ...(o.p50_ms === null ? [] : [["p50", o.p50_ms, P50_COLOR] as const]),
    ...(o.p99_ms === null ? [] : [["p99", o.p99_ms, P99_COLOR] as const]),
  ].map(([name, value, color]) => {
    const label = `${name} ${formatNumber(value)} ms`;
    return { name: label, series: verticalLineSeries({ label, value, color }) };
  });
  return linePanel({
    id: "kv-onboarding-cdf",
    title: "KV Onboarding Time (CDF)",
    subtitle: `${summary} Onboarding time = waiting for the tier's link + the transfer, summed over a request's admissions.`,
    xAxis: valueAxis("onboarding time (ms)", {
      min: 0,
      max: niceCeil(last === undefined ? 1 : last[0]),
      horizontal: true,
    }),
    yAxis: valueAxis("cumulative fraction (CDF)", { min: 0, max: 1, percent: true }),
    lines: [{ name: "per request", points, color: CDF_COLOR, step: true, widthPx: 2 }],
    overlays,
    noDataMessage: "no request onboarded KV",
  });
}

type TickTierFigures = NonNullable<ReportContext["ticks"][number]["kv_tiers"]>;

/** The tier discount figures of a tick (docs/planner.md#kv-tier-discount); null when it had none. */
function tierFigures(t: ReportContext["ticks"][number]): TickTierFigures | null {
  return t.kv_tiers ?? null;
}

/**
 * The planner's tier discount tick by tick: the GPU hit, what every tier together found, and the effective hit the
 * planner applied (the lower tiers' share less their onboarding time over an uncached prefill). Only for runs whose
 * ticks carry the figures (tiers on and `kv_tier_discount` on).
 */
function tierDiscountPanel(ctx: ReportContext): Panel | null {
  const withFigures = ctx.ticks.filter((t) => tierFigures(t) !== null);
  if (withFigures.length === 0) return null;
  let lower = 0;
  let deducted = 0;
  for (const t of withFigures) {
    const f = tierFigures(t) as TickTierFigures;
    lower += f.host_hit + f.disk_hit;
    deducted += Math.min(f.host_hit + f.disk_hit, f.onboard_deduction);
  }
  const summary =
    lower > 0
      ? `Over the ticks with tier figures the onboarding time took back ${formatPercent(deducted / lower)} of the ` +
        "host and disk hits."
      : "No tick saw a host or disk hit.";
  return timePanel({
    id: "kv-tier-discount",
    title: "KV Tier Discount (hit rate the planner applied)",
    subtitle:
      "effective = GPU + max(0, host + disk − onboarding ms ÷ uncached prefill ms): a host or disk hit saves the " +
      `prefill but first waits for its transfer. ${summary}`,
    yAxisName: "hit rate (fraction of input)",
    lines: [
      {
        name: "GPU hit",
        points: column(ctx.ticks, (t) => tierFigures(t)?.gpu_hit),
        color: TIER_COLORS[0],
        step: true,
        widthPx: 2,
      },
      {
        name: "GPU + host + disk hit",
        points: column(ctx.ticks, (t) => {
          const f = tierFigures(t);
          return f === null ? null : f.gpu_hit + f.host_hit + f.disk_hit;
        }),
        color: TIER_COLORS[1],
        style: "dotted",
        step: true,
        widthPx: 2,
      },
      {
        name: "effective (applied)",
        points: column(ctx.ticks, (t) => tierFigures(t)?.effective_hit),
        color: TIER_COLORS[2],
        style: "dashed",
        step: true,
        widthPx: 2.4,
      },
    ],
    range: ctx.range,
    yAxis: { min: 0, percent: true, headroom: true, maxCap: 1 },
    noDataMessage: "no tier figures recorded",
  });
}

/** The tier panels of a result: none without a kv_tiers section; the discount panel when the ticks carry it. */
export function kvTierPanels(ctx: ReportContext): Panel[] {
  const t = ctx.result.kv_tiers;
  if (t === undefined) return [];
  const discount = tierDiscountPanel(ctx);
  return [
    tierReusePanel(t),
    onboardingCdfPanel(t, ctx.planner.distributions.onboard_ms_cdf ?? []),
    ...(discount === null ? [] : [discount]),
  ];
}
