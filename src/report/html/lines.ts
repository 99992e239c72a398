// Line-chart panels over simulated time: series builders (downsampled, gaps kept), the dashed red SLA line with
// its label, and the panel assembly shared by most of the recorder's charts.

import type { EChartsOption, LineSeriesOption, XAXisComponentOption, YAXisComponentOption } from "echarts";
import {
  legendTopPx,
  noDataGraphic,
  plotGrid,
  type TimeRange,
  timeXAxis,
  topLegend,
  type ValueAxisOptions,
  valueAxis,
} from "./axes.js";
import { CHART_WIDTH_PX, renderChartSvg, SLA_COLOR } from "./chart.js";
import { downsampleMinMax, hasIsolatedPoints, hasValues, type Point } from "./downsample.js";
import type { Panel } from "./panel.js";

export type LineStyleKind = "solid" | "dashed" | "dotted";

export interface LineSpec {
  readonly name: string;
  readonly points: readonly Point[];
  readonly color?: string;
  readonly style?: LineStyleKind;
  /** Draw as a staircase (values that hold until the next sample, e.g. replica counts). */
  readonly step?: boolean;
  /** Bridge gaps (series sampled on a coarser cadence than the ticks, e.g. predictions). */
  readonly connectNulls?: boolean;
  readonly widthPx?: number;
  /** Shown in the legend (false for secondary lines that share a name with a legend entry). */
  readonly inLegend?: boolean;
  /** Plot against the right-hand axis (a quantity of a different scale, e.g. OSL beside ISL). */
  readonly rightAxis?: boolean;
}

export function lineSeries(spec: LineSpec): LineSeriesOption {
  const points = downsampleMinMax(spec.points);
  const markers = hasIsolatedPoints(points);
  const series: LineSeriesOption = {
    type: "line",
    name: spec.name,
    data: points.map((p) => [p[0], p[1]]),
    // Markers only where a point would otherwise be invisible (no neighbour to draw a segment to).
    showSymbol: markers,
    symbol: "circle",
    symbolSize: 4,
    connectNulls: spec.connectNulls === true,
    step: spec.step === true ? "end" : false,
    lineStyle: { width: spec.widthPx ?? 1.6, type: spec.style ?? "solid" },
    emphasis: { disabled: true },
  };
  if (spec.color !== undefined) series.color = spec.color;
  if (spec.rightAxis === true) series.yAxisIndex = 1;
  return series;
}

export interface ReferenceLine {
  /** Legend and label text, e.g. "TTFT SLA 500 ms". */
  readonly label: string;
  readonly value: number;
  /** Defaults to the SLA red. */
  readonly color?: string;
}

/** A dashed horizontal reference line (SLA red by default) across the time range, labelled at its right end. */
export function horizontalLineSeries(line: ReferenceLine, range: TimeRange): LineSeriesOption {
  return referenceSeries(line, [
    [range.minS, line.value],
    [range.maxS, line.value],
  ]);
}

/** A dashed vertical reference line at x = value spanning y in [0, 1] (CDF charts). */
export function verticalLineSeries(line: ReferenceLine): LineSeriesOption {
  return referenceSeries(line, [
    [line.value, 0],
    [line.value, 1],
  ]);
}

function referenceSeries(line: ReferenceLine, data: [number, number][]): LineSeriesOption {
  const color = line.color ?? SLA_COLOR;
  const horizontal = data[0]?.[1] === data[1]?.[1];
  return {
    type: "line",
    name: line.label,
    data,
    showSymbol: false,
    symbol: "none",
    color,
    lineStyle: { type: "dashed", width: 1.5, color },
    emphasis: { disabled: true },
    z: 5,
    // The series draws the line (and so extends the axis); the mark line only places its label.
    markLine: {
      silent: true,
      symbol: "none",
      // Transparent, not opacity 0: the label inherits the line's opacity.
      lineStyle: { color: "rgba(0,0,0,0)", width: 0 },
      label: { show: true, formatter: line.label, position: "insideEndTop", color, fontSize: 11 },
      data: [horizontal ? { yAxis: line.value } : { xAxis: line.value }],
    },
  };
}

export interface NamedSeries {
  readonly name: string;
  readonly series: unknown;
}

export interface LinePanelSpec {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly xAxis: XAXisComponentOption;
  readonly yAxis: YAXisComponentOption;
  /** The right-hand axis of lines with `rightAxis`. */
  readonly rightYAxis?: YAXisComponentOption;
  readonly lines: readonly LineSpec[];
  /** Reference lines and marker series drawn over the lines; their names join the legend (when data exists). */
  readonly overlays?: readonly NamedSeries[];
  /** Hide the legend even with several lines (one line per engine, when there are too many). */
  readonly hideLegend?: boolean;
  readonly noDataMessage?: string;
}

export function linePanel(spec: LinePanelSpec): Panel {
  const drawn = spec.lines.filter((l) => hasValues(l.points));
  const overlays = drawn.length > 0 ? (spec.overlays ?? []) : [];
  const names: string[] = [];
  const addName = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  for (const l of drawn) if (l.inLegend !== false) addName(l.name);
  for (const o of overlays) addName(o.name);
  const legendNames = spec.hideLegend === true ? [] : names;
  const legend = topLegend(legendNames);
  const series: unknown[] = drawn.map(lineSeries);
  for (const o of overlays) series.push(o.series);
  const option: EChartsOption = {
    grid: plotGrid(legendTopPx(legendNames, CHART_WIDTH_PX)),
    xAxis: spec.xAxis,
    yAxis:
      spec.rightYAxis === undefined
        ? spec.yAxis
        : [spec.yAxis, { ...spec.rightYAxis, position: "right", splitLine: { show: false } }],
    series: series as NonNullable<EChartsOption["series"]>,
  };
  if (legend !== undefined) option.legend = legend;
  if (drawn.length === 0) option.graphic = noDataGraphic(spec.noDataMessage ?? "no data recorded");
  return {
    id: spec.id,
    title: spec.title,
    subtitle: spec.subtitle,
    svg: renderChartSvg({ id: `panel-${spec.id}`, label: spec.title, option }),
  };
}

export interface TimePanelSpec {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly yAxisName: string;
  readonly lines: readonly LineSpec[];
  readonly range: TimeRange;
  /** Dashed horizontal lines (SLA targets, KV capacity). */
  readonly references?: readonly ReferenceLine[];
  readonly markers?: readonly NamedSeries[];
  readonly yAxis?: ValueAxisOptions;
  /** Name (with unit) of the right-hand axis used by lines with `rightAxis`. */
  readonly rightYAxisName?: string;
  readonly hideLegend?: boolean;
  readonly noDataMessage?: string;
}

/** A line panel over the shared simulated-time axis. */
export function timePanel(spec: TimePanelSpec): Panel {
  const overlays: NamedSeries[] = [...(spec.markers ?? [])];
  for (const r of spec.references ?? []) {
    overlays.push({ name: r.label, series: horizontalLineSeries(r, spec.range) });
  }
  const panel: LinePanelSpec = {
    id: spec.id,
    title: spec.title,
    subtitle: spec.subtitle,
    xAxis: timeXAxis(spec.range),
    yAxis: valueAxis(spec.yAxisName, {
      ...(spec.references !== undefined && spec.references.length > 0 ? { headroom: true } : {}),
      ...spec.yAxis,
    }),
    lines: spec.lines,
    overlays,
    ...(spec.rightYAxisName === undefined ? {} : { rightYAxis: valueAxis(spec.rightYAxisName, { min: 0 }) }),
  };
  return linePanel({
    ...panel,
    ...(spec.hideLegend === undefined ? {} : { hideLegend: spec.hideLegend }),
    ...(spec.noDataMessage === undefined ? {} : { noDataMessage: spec.noDataMessage }),
  });
}
