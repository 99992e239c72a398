// kvsim addition: per-worker KV-cache utilisation over time, sampled at every tick. Few workers: one colour per
// worker, solid = active blocks / capacity, dashed = (active + inactive) / capacity. Many workers: two compact
// heat strips (one row per worker) with the same two ratios, averaged over time buckets.

import type { EChartsOption, HeatmapSeriesOption } from "echarts";
import type { StageName } from "../../signals/stages.js";
import type { KvUtilisationJson } from "../planner-result.js";
import { AXIS_COLOR, FONT_FAMILY, PALETTE, renderChartSvg } from "./chart.js";
import type { ReportContext } from "./context.js";
import type { Point } from "./downsample.js";
import { formatDuration, formatSimTime } from "./format.js";
import { type LineSpec, timePanel } from "./lines.js";
import type { Panel } from "./panel.js";

/** Up to this many workers get lines; more get heat strips. */
export const MAX_LINE_WORKERS = 6;
/** Time buckets (columns) of a heat strip. */
const HEAT_COLUMNS = 120;
const HEAT_WIDTH_PX = 1280;
const HEAT_COLORS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

const COMPONENT_ORDER: Readonly<Record<StageName, number>> = { prefill: 0, decode: 1, agg: 2 };

interface WorkerSeries {
  readonly label: string;
  readonly component: StageName;
  readonly workerId: number;
  /** Samples in time order. */
  readonly samples: KvUtilisationJson[];
}

function workerLabel(s: KvUtilisationJson): string {
  return s.component === "agg" ? `worker ${s.worker_id}` : `${s.component} ${s.worker_id}`;
}

export function groupByWorker(samples: readonly KvUtilisationJson[]): WorkerSeries[] {
  const byKey = new Map<string, WorkerSeries>();
  for (const s of samples) {
    if (!(s.capacity_blocks > 0)) continue;
    const key = `${s.component}:${s.worker_id}`;
    let w = byKey.get(key);
    if (w === undefined) {
      w = { label: workerLabel(s), component: s.component, workerId: s.worker_id, samples: [] };
      byKey.set(key, w);
    }
    w.samples.push(s);
  }
  const workers = [...byKey.values()];
  for (const w of workers) w.samples.sort((a, b) => a.at_s - b.at_s);
  return workers.sort(
    (a, b) => COMPONENT_ORDER[a.component] - COMPONENT_ORDER[b.component] || a.workerId - b.workerId,
  );
}

const activeShare = (s: KvUtilisationJson): number => s.active_blocks / s.capacity_blocks;
const usedShare = (s: KvUtilisationJson): number => (s.active_blocks + s.inactive_blocks) / s.capacity_blocks;

/** A worker's points on the shared sample times, with gaps where it was not alive between its first and last sample. */
function workerPoints(
  w: WorkerSeries,
  times: readonly number[],
  value: (s: KvUtilisationJson) => number,
): Point[] {
  const out: Point[] = [];
  const first = w.samples[0];
  const last = w.samples[w.samples.length - 1];
  if (first === undefined || last === undefined) return out;
  let j = 0;
  for (const t of times) {
    if (t < first.at_s || t > last.at_s) continue;
    while (j < w.samples.length && (w.samples[j] as KvUtilisationJson).at_s < t) j++;
    const s = w.samples[j];
    out.push([t, s !== undefined && s.at_s === t ? value(s) : null]);
  }
  return out;
}

const SUBTITLE =
  "Per worker: active blocks ÷ capacity (in use by running requests) and (active + inactive) ÷ capacity (including cached, reusable blocks).";

function linesPanel(ctx: ReportContext, workers: readonly WorkerSeries[]): Panel {
  const times = [...new Set(ctx.planner.kv_utilisation.map((s) => s.at_s))].sort((a, b) => a - b);
  const lines: LineSpec[] = [];
  workers.forEach((w, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    lines.push({ name: w.label, points: workerPoints(w, times, activeShare), color, widthPx: 1.8 });
    lines.push({
      name: w.label,
      points: workerPoints(w, times, usedShare),
      color,
      style: "dashed",
      widthPx: 1.2,
      inLegend: false,
    });
  });
  return timePanel({
    id: "kv-utilisation",
    title: "KV-Cache Utilisation per Worker",
    subtitle: `${SUBTITLE} Solid: active; dashed: active + inactive.`,
    yAxisName: "share of KV blocks",
    lines,
    range: ctx.range,
    yAxis: { min: 0, max: 1, percent: true },
    noDataMessage: "no KV-cache samples recorded",
  });
}

/** Heat-strip columns: every sample time when there are few, else equal time buckets over the sampled span. */
interface HeatColumns {
  readonly labels: string[];
  readonly columnOf: (atS: number) => number;
  readonly widthS: number;
}

function heatColumns(samples: readonly KvUtilisationJson[]): HeatColumns {
  const times = [...new Set(samples.map((s) => s.at_s))].sort((a, b) => a - b);
  const firstS = times[0] ?? 0;
  const lastS = times[times.length - 1] ?? 0;
  if (times.length <= HEAT_COLUMNS) {
    const index = new Map(times.map((t, i) => [t, i]));
    const widthS = times.length > 1 ? (lastS - firstS) / (times.length - 1) : 0;
    return { labels: times.map(formatSimTime), columnOf: (t) => index.get(t) ?? 0, widthS };
  }
  const widthS = (lastS - firstS) / HEAT_COLUMNS;
  return {
    labels: Array.from({ length: HEAT_COLUMNS }, (_, c) => formatSimTime(firstS + c * widthS)),
    columnOf: (t) => Math.min(HEAT_COLUMNS - 1, Math.max(0, Math.floor((t - firstS) / widthS))),
    widthS,
  };
}

/** Mean of each worker's ratio per column, as heatmap cells [column, row, value]. */
function heatCells(
  workers: readonly WorkerSeries[],
  columns: HeatColumns,
  value: (s: KvUtilisationJson) => number,
): [number, number, number][] {
  const cells: [number, number, number][] = [];
  workers.forEach((w, row) => {
    let column = -1;
    let sum = 0;
    let n = 0;
    const flush = (): void => {
      if (n > 0) cells.push([column, row, sum / n]);
    };
    for (const s of w.samples) {
      const c = columns.columnOf(s.at_s);
      if (c !== column) {
        flush();
        column = c;
        sum = 0;
        n = 0;
      }
      sum += value(s);
      n++;
    }
    flush();
  });
  return cells;
}

function heatPanel(ctx: ReportContext, workers: readonly WorkerSeries[]): Panel {
  const columns = heatColumns(ctx.planner.kv_utilisation);
  const rows = workers.map((w) => w.label);
  const rowPx = Math.max(4, Math.min(14, Math.floor(260 / rows.length)));
  const stripPx = rows.length * rowPx;
  const topPx = 56;
  const gapPx = 62;
  const heightPx = topPx + stripPx + gapPx + stripPx + 56;
  const strips = [
    { name: "active ÷ capacity", value: activeShare },
    { name: "(active + inactive) ÷ capacity", value: usedShare },
  ];
  const grids = strips.map((_, i) => ({
    left: 110,
    right: 30,
    top: topPx + i * (stripPx + gapPx),
    height: stripPx,
  }));
  const axisName = { fontFamily: FONT_FAMILY, fontSize: 12, color: AXIS_COLOR, fontWeight: "bold" } as const;
  const series: HeatmapSeriesOption[] = strips.map((strip, i) => ({
    type: "heatmap",
    name: strip.name,
    xAxisIndex: i,
    yAxisIndex: i,
    data: heatCells(workers, columns, strip.value),
    emphasis: { disabled: true },
    progressive: 0,
  }));
  const option: EChartsOption = {
    title: strips.map((strip, i) => ({
      text: strip.name,
      left: 110,
      top: topPx + i * (stripPx + gapPx) - 22,
      textStyle: { fontSize: 12, fontWeight: "bold", fontFamily: FONT_FAMILY, color: AXIS_COLOR },
    })),
    grid: grids,
    xAxis: strips.map((_, i) => ({
      type: "category",
      gridIndex: i,
      data: columns.labels,
      name: "simulated time (hh:mm:ss)",
      nameLocation: "middle",
      nameGap: 26,
      nameTextStyle: axisName,
      axisLabel: { interval: Math.max(0, Math.ceil(columns.labels.length / 10) - 1) },
      axisTick: { show: false },
    })),
    yAxis: strips.map((_, i) => ({
      type: "category",
      gridIndex: i,
      data: rows,
      inverse: true,
      // Every worker labelled while rows are tall enough for 11 px text; otherwise echarts thins the labels.
      axisLabel: rowPx >= 11 ? { fontSize: 11, interval: 0 } : { fontSize: Math.max(8, rowPx) },
      axisTick: { show: false },
    })),
    visualMap: {
      type: "continuous",
      min: 0,
      max: 1,
      orient: "horizontal",
      right: 30,
      top: 4,
      itemHeight: 160,
      itemWidth: 10,
      text: ["100%", "0%"],
      calculable: false,
      inRange: { color: HEAT_COLORS },
      seriesIndex: [0, 1],
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 11 },
    },
    series,
  };
  return {
    id: "kv-utilisation",
    title: "KV-Cache Utilisation per Worker",
    subtitle: `${SUBTITLE} ${rows.length} workers, one row each; colour = mean share per column (${formatDuration(columns.widthS)} of simulated time); blank = worker not alive.`,
    svg: renderChartSvg({
      id: "panel-kv-utilisation",
      label: "KV-Cache Utilisation per Worker",
      option,
      widthPx: HEAT_WIDTH_PX,
      heightPx,
    }),
    wide: true,
  };
}

export function kvUtilisationPanel(ctx: ReportContext): Panel {
  const workers = groupByWorker(ctx.planner.kv_utilisation);
  return workers.length <= MAX_LINE_WORKERS ? linesPanel(ctx, workers) : heatPanel(ctx, workers);
}
