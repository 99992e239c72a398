// The planner study's one chart (planners.svg): per workload × topology, GPU-hours on top and the lower of TTFT
// and ITL SLA attainment below, for dynamo and kvsim (KV awareness on), the hindsight schedule and the cheapest
// static cluster, with the 95 % target drawn as a line. Drawn with the HTML report's echarts SSR helper, so the
// SVG is static, deterministic and self-contained.

import type { BarSeriesOption, EChartsOption } from "echarts";
import { AXIS_COLOR, FONT_FAMILY, PALETTE, renderChartSvg, SLA_COLOR } from "../../report/html/chart.js";
import { SLA_ATTAINMENT_TARGET } from "./design.js";
import type { PlannerPointResult } from "./point-run.js";

export const PLANNER_CHART_WIDTH_PX = 1040;
export const PLANNER_CHART_HEIGHT_PX = 620;

interface Bar {
  readonly gpuHours: number;
  /** min(TTFT, ITL) attainment, %. */
  readonly attainmentPct: number;
}

interface Group {
  readonly label: string;
  readonly bars: Map<string, Bar>;
}

const SERIES = ["dynamo", "kvsim", "hindsight", "cheapest static"] as const;

function attainmentPct(ttft: number, itl: number): number {
  return Math.round(Math.min(ttft, itl) * 1000) / 10;
}

/** One group per workload × mode, in matrix order, with the awareness-on replays, hindsight and static. */
function groups(results: readonly PlannerPointResult[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const r of results) {
    const key = `${r.point.workload}/${r.point.mode}`;
    let g = byKey.get(key);
    if (g === undefined) {
      g = { label: `${r.point.workload}\n${r.point.mode}`, bars: new Map() };
      byKey.set(key, g);
    }
    const f = r.figures;
    if (r.point.awareness === false) continue;
    g.bars.set(r.point.policy, {
      gpuHours: f.gpuHours,
      attainmentPct: attainmentPct(f.ttftAttainment, f.itlAttainment),
    });
    const s = f.staticCluster;
    if (s !== null) {
      g.bars.set("cheapest static", {
        gpuHours: s.gpuHours,
        attainmentPct: attainmentPct(s.ttftAttainment, s.itlAttainment),
      });
    }
  }
  return [...byKey.values()];
}

function bars(name: string, color: string, axis: number, values: readonly (number | null)[], digits: number) {
  const series: BarSeriesOption = {
    name,
    type: "bar",
    xAxisIndex: axis,
    yAxisIndex: axis,
    itemStyle: { color },
    barGap: "8%",
    data: values.map((v) => (v === null ? "-" : v)),
    label: {
      show: true,
      position: "top",
      fontSize: 8,
      fontFamily: FONT_FAMILY,
      color: AXIS_COLOR,
      formatter: (p: { value: unknown }) => (typeof p.value === "number" ? p.value.toFixed(digits) : ""),
    },
  };
  return series;
}

export function plannerChartOption(results: readonly PlannerPointResult[]): EChartsOption {
  const gs = groups(results);
  const category = (gridIndex: number) =>
    ({
      type: "category",
      gridIndex,
      data: gs.map((g) => g.label),
      axisLabel: { interval: 0, fontSize: 11, lineHeight: 14 },
      axisTick: { alignWithLabel: true },
    }) as const;
  const titleStyle = { fontSize: 14, fontWeight: "bold", fontFamily: FONT_FAMILY } as const;
  const series: BarSeriesOption[] = [];
  SERIES.forEach((name, k) => {
    const color = PALETTE[k] as string;
    series.push(
      bars(
        name,
        color,
        0,
        gs.map((g) => g.bars.get(name)?.gpuHours ?? null),
        2,
      ),
    );
    const lower = bars(
      name,
      color,
      1,
      gs.map((g) => g.bars.get(name)?.attainmentPct ?? null),
      0,
    );
    if (k === 0) {
      lower.markLine = {
        silent: true,
        symbol: "none",
        lineStyle: { color: SLA_COLOR, type: "dashed" },
        label: { show: false },
        data: [{ yAxis: SLA_ATTAINMENT_TARGET * 100 }],
      };
    }
    series.push(lower);
  });
  return {
    title: [
      { text: "GPU-hours of the whole replay (lower is cheaper)", left: 72, top: 8, textStyle: titleStyle },
      {
        text: `SLA attainment, % of requests: the lower of TTFT and ITL (KV awareness on; dashed: the ${SLA_ATTAINMENT_TARGET * 100} % target)`,
        left: 72,
        top: 318,
        textStyle: titleStyle,
      },
    ],
    legend: { top: 8, right: 24, data: [...SERIES], textStyle: { fontSize: 12 } },
    grid: [
      { left: 72, right: 24, top: 48, height: 206 },
      { left: 72, right: 24, top: 358, height: 206 },
    ],
    xAxis: [category(0), category(1)],
    yAxis: [
      { type: "value", gridIndex: 0 },
      { type: "value", gridIndex: 1, min: 0, max: 100, interval: 20 },
    ],
    series,
  };
}

/** A standalone SVG file (XML declaration + the chart). */
export function renderPlannerChartSvg(results: readonly PlannerPointResult[]): string {
  const svg = renderChartSvg({
    id: "planners",
    label:
      "Planner study: GPU-hours and SLA attainment of dynamo, kvsim, hindsight and the cheapest static cluster",
    option: plannerChartOption(results),
    widthPx: PLANNER_CHART_WIDTH_PX,
    heightPx: PLANNER_CHART_HEIGHT_PX,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
