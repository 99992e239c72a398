// The study's one chart (kv-reuse.svg): per configuration (workload × mode × cadence), GPU-hours on top and
// TTFT SLA attainment below, KV awareness on and off side by side. Drawn with the HTML report's echarts SSR
// helper, so the SVG is static, deterministic and self-contained.

import type { BarSeriesOption, EChartsOption } from "echarts";
import { AXIS_COLOR, FONT_FAMILY, PALETTE, renderChartSvg } from "../../report/html/chart.js";
import { KV_REUSE_TTFT_SLA_MS } from "./design.js";
import type { StudyPointResult } from "./point-run.js";

export const STUDY_CHART_WIDTH_PX = 960;
export const STUDY_CHART_HEIGHT_PX = 600;

const ON_COLOR = PALETTE[0];
const OFF_COLOR = PALETTE[1];
const SERIES_ON = "KV awareness on";
const SERIES_OFF = "KV awareness off";

interface Configuration {
  readonly label: string;
  readonly on: StudyPointResult | null;
  readonly off: StudyPointResult | null;
}

/** Pairs each configuration's on and off points, in matrix order. */
function configurations(results: readonly StudyPointResult[]): Configuration[] {
  const byKey = new Map<
    string,
    { label: string; on: StudyPointResult | null; off: StudyPointResult | null }
  >();
  for (const r of results) {
    const key = `${r.point.workload}/${r.point.mode}/${r.point.cadence}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { label: `${r.point.workload}\n${r.point.mode} · ${r.point.cadence}`, on: null, off: null };
      byKey.set(key, entry);
    }
    if (r.point.awareness) entry.on = r;
    else entry.off = r;
  }
  return [...byKey.values()];
}

function bars(
  name: string,
  color: string,
  axis: number,
  values: readonly (number | null)[],
  digits: number,
): BarSeriesOption {
  return {
    name,
    type: "bar",
    xAxisIndex: axis,
    yAxisIndex: axis,
    itemStyle: { color },
    barGap: "10%",
    data: values.map((v) => (v === null ? "-" : v)),
    label: {
      show: true,
      position: "top",
      fontSize: 10,
      fontFamily: FONT_FAMILY,
      color: AXIS_COLOR,
      formatter: (p: { value: unknown }) => (typeof p.value === "number" ? p.value.toFixed(digits) : ""),
    },
  };
}

export function studyChartOption(results: readonly StudyPointResult[]): EChartsOption {
  const configs = configurations(results);
  const labels = configs.map((c) => c.label);
  const gpu = (r: StudyPointResult | null): number | null => (r === null ? null : r.figures.gpuHours);
  const ttft = (r: StudyPointResult | null): number | null =>
    r === null ? null : Math.round(r.figures.ttftAttainment * 1000) / 10;
  const slas = [...new Set(Object.values(KV_REUSE_TTFT_SLA_MS))].join(" / ");
  const category = (gridIndex: number) =>
    ({
      type: "category",
      gridIndex,
      data: labels,
      axisLabel: { interval: 0, fontSize: 11, lineHeight: 14 },
      axisTick: { alignWithLabel: true },
    }) as const;
  const titleStyle = { fontSize: 14, fontWeight: "bold", fontFamily: FONT_FAMILY } as const;
  return {
    title: [
      { text: "GPU-hours of the whole replay (lower is cheaper)", left: 72, top: 8, textStyle: titleStyle },
      {
        text: `TTFT SLA attainment, % of requests (SLA ${slas} ms: shared-prefix / mooncake)`,
        left: 72,
        top: 306,
        textStyle: titleStyle,
      },
    ],
    legend: { top: 8, right: 24, data: [SERIES_ON, SERIES_OFF], textStyle: { fontSize: 12 } },
    grid: [
      { left: 72, right: 24, top: 48, height: 196 },
      { left: 72, right: 24, top: 346, height: 196 },
    ],
    xAxis: [category(0), category(1)],
    yAxis: [
      { type: "value", gridIndex: 0 },
      { type: "value", gridIndex: 1, min: 0, max: 100, interval: 20 },
    ],
    series: [
      bars(
        SERIES_ON,
        ON_COLOR,
        0,
        configs.map((c) => gpu(c.on)),
        2,
      ),
      bars(
        SERIES_OFF,
        OFF_COLOR,
        0,
        configs.map((c) => gpu(c.off)),
        2,
      ),
      bars(
        SERIES_ON,
        ON_COLOR,
        1,
        configs.map((c) => ttft(c.on)),
        1,
      ),
      bars(
        SERIES_OFF,
        OFF_COLOR,
        1,
        configs.map((c) => ttft(c.off)),
        1,
      ),
    ],
  };
}

/** A standalone SVG file (XML declaration + the chart). */
export function renderStudyChartSvg(results: readonly StudyPointResult[]): string {
  const svg = renderChartSvg({
    id: "kv-reuse",
    label: "KV-reuse study: GPU-hours and TTFT SLA attainment per configuration, KV awareness on vs off",
    option: studyChartOption(results),
    widthPx: STUDY_CHART_WIDTH_PX,
    heightPx: STUDY_CHART_HEIGHT_PX,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
