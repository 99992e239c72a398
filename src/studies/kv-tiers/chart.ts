// The KV-tiers study's one chart (kv-tiers.svg): per workload (columns), prompt-token reuse from all tiers (top)
// and TTFT p99 (bottom) against the host tier's size, one line per deployment, solid without a disk
// tier and dashed with one. Drawn with the HTML report's echarts SSR helper, so the SVG is static, deterministic
// and self-contained.

import type { EChartsOption, LineSeriesOption } from "echarts";
import { FONT_FAMILY, PALETTE, renderChartSvg } from "../../report/html/chart.js";
import { HOST_MULTIPLES, KV_TIERS_DEPLOYMENTS, KV_TIERS_WORKLOADS } from "./design.js";
import type { KvTiersPointResult } from "./point-run.js";

export const KV_TIERS_CHART_WIDTH_PX = 1080;
export const KV_TIERS_CHART_HEIGHT_PX = 640;

const LEFT_PX = 64;
const RIGHT_PX = 24;
const GAP_PX = 56;
const TOP_ROW_PX = 84;
const BOTTOM_ROW_PX = 372;
const ROW_HEIGHT_PX = 210;

function seriesName(deployment: string, disk: boolean): string {
  return disk ? `${deployment} + disk` : deployment;
}

export function kvTiersChartOption(results: readonly KvTiersPointResult[]): EChartsOption {
  const workloads = KV_TIERS_WORKLOADS.filter((w) => results.some((r) => r.point.workload === w));
  const columns = Math.max(workloads.length, 1);
  const widthPx = (KV_TIERS_CHART_WIDTH_PX - LEFT_PX - RIGHT_PX - GAP_PX * (columns - 1)) / columns;
  const grids: { left: number; top: number; width: number; height: number }[] = [];
  const xAxes: object[] = [];
  const yAxes: object[] = [];
  const titles: object[] = [];
  const series: LineSeriesOption[] = [];
  const titleStyle = { fontSize: 13, fontWeight: "bold", fontFamily: FONT_FAMILY } as const;
  const names: string[] = [];
  for (const disk of [false, true]) {
    for (const d of KV_TIERS_DEPLOYMENTS) names.push(seriesName(d, disk));
  }
  workloads.forEach((workload, column) => {
    const left = LEFT_PX + column * (widthPx + GAP_PX);
    for (const [row, top] of [
      [0, TOP_ROW_PX],
      [1, BOTTOM_ROW_PX],
    ] as const) {
      const axis = column * 2 + row;
      grids.push({ left, top, width: widthPx, height: ROW_HEIGHT_PX });
      xAxes.push({
        type: "category",
        gridIndex: axis,
        data: HOST_MULTIPLES.map((m) => `${m}×`),
        name: "host tier × GPU cache",
        nameLocation: "middle",
        nameGap: 24,
      });
      yAxes.push(
        row === 0
          ? { type: "value", gridIndex: axis, min: 0, max: 100, interval: 20 }
          : { type: "value", gridIndex: axis, min: 0 },
      );
      titles.push({
        text: row === 0 ? `${workload}: prompt tokens reused, %` : `${workload}: TTFT p99, s`,
        left,
        top: top - 26,
        textStyle: titleStyle,
      });
      KV_TIERS_DEPLOYMENTS.forEach((deployment, k) => {
        for (const disk of [false, true]) {
          const values = HOST_MULTIPLES.map((m) => {
            const r = results.find(
              (x) =>
                x.point.workload === workload &&
                x.point.deployment === deployment &&
                x.point.disk === disk &&
                x.point.hostMultiple === m,
            );
            if (r === undefined) return "-";
            return row === 0
              ? Math.round(r.figures.reuse * 1000) / 10
              : Math.round(r.figures.ttftP99Ms) / 1000;
          });
          series.push({
            name: seriesName(deployment, disk),
            type: "line",
            xAxisIndex: axis,
            yAxisIndex: axis,
            data: values,
            symbolSize: 6,
            itemStyle: { color: PALETTE[k] as string },
            lineStyle: { color: PALETTE[k] as string, type: disk ? "dashed" : "solid", width: 2 },
          });
        }
      });
    }
  });
  return {
    title: titles,
    legend: { top: 8, left: LEFT_PX, data: names, textStyle: { fontSize: 12 } },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  } as EChartsOption;
}

/** A standalone SVG file (XML declaration + the chart). */
export function renderKvTiersChartSvg(results: readonly KvTiersPointResult[]): string {
  const svg = renderChartSvg({
    id: "kv-tiers",
    label:
      "KV-tiers study: prompt-token reuse and TTFT p99 against the host tier's size, with and without a disk tier",
    option: kvTiersChartOption(results),
    widthPx: KV_TIERS_CHART_WIDTH_PX,
    heightPx: KV_TIERS_CHART_HEIGHT_PX,
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
