// Diagnostics row 6 (docs/planner-in-the-loop.md#html-report): load and throughput scaling decisions as
// marker timelines coloured by reason, in the recorder's colour vocabulary (load: squares; throughput:
// diamonds). Disagg runs — any per-component reason recorded — get two tracks (prefill above decode);
// otherwise one aggregate track.

import type { EChartsOption, ScatterSeriesOption } from "echarts";
import type { TickSnapshotJson } from "../planner-result.js";
import { legendTopPx, noDataGraphic, plotGrid, timeXAxis, topLegend } from "./axes.js";
import { AXIS_COLOR, CHART_WIDTH_PX, FONT_FAMILY, renderChartSvg } from "./chart.js";
import type { ReportContext } from "./context.js";
import type { Panel } from "./panel.js";

/** Load-scaling reasons (docs/planner.md#reasons) → colour, in legend order. */
export const LOAD_REASON_COLORS: readonly (readonly [string, string])[] = [
  ["scale_up", "green"],
  ["scale_down", "blue"],
  ["scale_down_capped_by_throughput", "purple"],
  ["no_change", "gray"],
  ["disabled", "lightgray"],
  ["no_fpm_data", "yellow"],
  ["scaling_in_progress", "orange"],
  ["worker_count_mismatch", "red"],
  ["insufficient_data", "pink"],
];

/** Throughput-scaling reasons (docs/planner.md#reasons) → colour, in legend order. */
export const THROUGHPUT_REASON_COLORS: readonly (readonly [string, string])[] = [
  ["scale", "green"],
  ["set_lower_bound", "blue"],
  ["disabled", "lightgray"],
  ["no_traffic_data", "yellow"],
  ["predict_failed", "red"],
  ["model_not_ready", "orange"],
  ["partner_not_ready", "pink"],
];

const UNKNOWN_REASON_COLOR = "gray";

/** Reasons that changed the replica count: full-size markers even on dense timelines. */
const DECISIVE_REASONS: readonly string[] = ["scale_up", "scale_down", "scale"];

/** Approximate width of the plot area, for marker sizing. */
const PLOT_WIDTH_PX = 540;

/** Above this many ticks per track, markers are thinned to one per reason per time bucket. */
const MAX_MARKERS_PER_TRACK = 800;

interface Track {
  readonly label: string;
  readonly reason: (t: TickSnapshotJson) => string | null;
}

interface TimelineSpec {
  readonly id: string;
  readonly title: string;
  readonly kind: "load" | "throughput";
  readonly vocabulary: readonly (readonly [string, string])[];
  readonly symbol: "rect" | "diamond";
  readonly tracks: readonly Track[];
}

function tracksFor(ctx: ReportContext, kind: "load" | "throughput"): Track[] {
  const prefill = (t: TickSnapshotJson): string | null =>
    kind === "load" ? t.load_decision_reason_prefill : t.throughput_decision_reason_prefill;
  const decode = (t: TickSnapshotJson): string | null =>
    kind === "load" ? t.load_decision_reason_decode : t.throughput_decision_reason_decode;
  const aggregate = (t: TickSnapshotJson): string | null =>
    kind === "load" ? t.load_decision_reason : t.throughput_decision_reason;
  const perComponent = ctx.ticks.some((t) => prefill(t) !== null || decode(t) !== null);
  if (perComponent) {
    // Category index 0 is drawn at the bottom: decode at y = 1, prefill at y = 2 as upstream.
    return [
      { label: "decode", reason: decode },
      { label: "prefill", reason: prefill },
    ];
  }
  return [{ label: ctx.disagg ? "aggregate" : "agg", reason: aggregate }];
}

/** [time, track index] markers of one reason on one track, thinned deterministically when there are many. */
function markers(
  ticks: readonly TickSnapshotJson[],
  track: Track,
  trackIndex: number,
  reason: string,
  bucketS: number | null,
  firstS: number,
): [number, number][] {
  const out: [number, number][] = [];
  let lastBucket = Number.NaN;
  for (const t of ticks) {
    if (track.reason(t) !== reason) continue;
    if (bucketS !== null) {
      const bucket = Math.floor((t.timestamp_s - firstS) / bucketS);
      if (bucket === lastBucket) continue;
      lastBucket = bucket;
    }
    out.push([t.timestamp_s, trackIndex]);
  }
  return out;
}

function timelinePanel(ctx: ReportContext, spec: TimelineSpec): Panel {
  const counts = new Map<string, number>();
  let ticksPerTrack = 0;
  for (const track of spec.tracks) {
    let n = 0;
    for (const t of ctx.ticks) {
      const r = track.reason(t);
      if (r === null) continue;
      n++;
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    ticksPerTrack = Math.max(ticksPerTrack, n);
  }
  const known = spec.vocabulary.filter(([r]) => counts.has(r));
  const unknown = [...counts.keys()]
    .filter((r) => !spec.vocabulary.some(([v]) => v === r))
    .sort()
    .map((r) => [r, UNKNOWN_REASON_COLOR] as const);
  const reasons = [...known, ...unknown];
  const bucketS =
    ticksPerTrack > MAX_MARKERS_PER_TRACK ? (ctx.range.maxS - ctx.range.minS) / MAX_MARKERS_PER_TRACK : null;
  // Dense timelines: markers shrink with the space per tick and lose their border, so the band stays readable.
  const pxPerTick = PLOT_WIDTH_PX / Math.max(1, bucketS === null ? ticksPerTrack : MAX_MARKERS_PER_TRACK);
  const dense = pxPerTick < 6;
  const baseSize = spec.symbol === "rect" ? 8 : 10;
  const symbolSize = dense ? Math.max(4, Math.min(baseSize, Math.round(pxPerTick * 2.5))) : baseSize;
  const series: ScatterSeriesOption[] = [];
  const names: string[] = [];
  // Drawn in reverse vocabulary order so the rarer, decisive reasons (scale_up first) sit on top.
  for (const [reason, color] of [...reasons].reverse()) {
    const decisive = DECISIVE_REASONS.includes(reason);
    const name = `${reason} (${counts.get(reason) ?? 0})`;
    names.unshift(name);
    const data: [number, number][] = [];
    spec.tracks.forEach((track, i) => {
      data.push(...markers(ctx.ticks, track, i, reason, bucketS, ctx.range.minS));
    });
    series.push({
      type: "scatter",
      name,
      data,
      symbol: spec.symbol,
      symbolSize: decisive ? baseSize : symbolSize,
      color,
      itemStyle:
        dense && !decisive
          ? { opacity: 1, borderWidth: 0 }
          : { opacity: 1, borderColor: "#444444", borderWidth: 0.6 },
      emphasis: { disabled: true },
    });
  }
  // The legend lists the reasons that occur, even when there is only one.
  const legend = topLegend(names, 1);
  const option: EChartsOption = {
    grid: plotGrid(legendTopPx(names, CHART_WIDTH_PX, 1)),
    xAxis: timeXAxis(ctx.range),
    yAxis: {
      type: "category",
      data: spec.tracks.map((t) => t.label),
      name: "component",
      nameLocation: "middle",
      nameGap: 62,
      nameTextStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: AXIS_COLOR, fontWeight: "bold" },
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: "#eeeeee" } },
    },
    series,
  };
  if (legend !== undefined) option.legend = legend;
  if (series.length === 0) option.graphic = noDataGraphic(`no ${spec.kind}-scaling decisions recorded`);
  const thinned = bucketS === null ? "" : " Markers thinned to one per reason per time bucket.";
  const shape = spec.symbol === "rect" ? "Squares" : "Diamonds";
  return {
    id: spec.id,
    title: spec.title,
    subtitle: `${shape} mark each ${spec.kind} tick, coloured by the decision reason; the legend counts decisions per reason (over all tracks).${thinned}`,
    svg: renderChartSvg({ id: `panel-${spec.id}`, label: spec.title, option }),
  };
}

export function loadDecisionsPanel(ctx: ReportContext): Panel {
  return timelinePanel(ctx, {
    id: "load-decisions",
    title: "Load Scaling Decisions",
    kind: "load",
    vocabulary: LOAD_REASON_COLORS,
    symbol: "rect",
    tracks: tracksFor(ctx, "load"),
  });
}

export function throughputDecisionsPanel(ctx: ReportContext): Panel {
  return timelinePanel(ctx, {
    id: "throughput-decisions",
    title: "Throughput Scaling Decisions",
    kind: "throughput",
    vocabulary: THROUGHPUT_REASON_COLORS,
    symbol: "diamond",
    tracks: tracksFor(ctx, "throughput"),
  });
}
