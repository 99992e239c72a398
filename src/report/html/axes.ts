// Shared axis, grid and legend pieces: every time-series panel uses the same simulated-time x axis (so panels
// line up), value axes carry their unit in the name, and legends appear only when there is more than one series.

import type {
  GraphicComponentOption,
  GridComponentOption,
  LegendComponentOption,
  XAXisComponentOption,
  YAXisComponentOption,
} from "echarts";
import { AXIS_COLOR, FONT_FAMILY } from "./chart.js";
import { formatAxisValue, formatSimTime } from "./format.js";

/** Tick spacings (s) for the simulated-time axis: round clock values only. */
const TIME_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
] as const;

/** At most this many intervals on the time axis, so hh:mm:ss labels never overlap at 640 px (~75 px each). */
const MAX_TIME_INTERVALS = 7;

export interface TimeRange {
  readonly minS: number;
  readonly maxS: number;
  readonly stepS: number;
}

/**
 * A clock-aligned axis range covering [firstS, lastS]: the finest step of TIME_STEPS_S whose aligned range
 * (floor(first / step) … ceil(last / step)) has at most MAX_TIME_INTERVALS intervals.
 */
export function timeRange(firstS: number, lastS: number): TimeRange {
  for (const stepS of TIME_STEPS_S) {
    const minS = Math.floor(firstS / stepS) * stepS;
    const maxS = Math.max(Math.ceil(lastS / stepS) * stepS, minS + stepS);
    if ((maxS - minS) / stepS <= MAX_TIME_INTERVALS) return { minS, maxS, stepS };
  }
  const stepS = Math.ceil((lastS - firstS) / MAX_TIME_INTERVALS / 604800) * 604800;
  const minS = Math.floor(firstS / stepS) * stepS;
  return { minS, maxS: Math.max(Math.ceil(lastS / stepS) * stepS, minS + stepS), stepS };
}

const AXIS_NAME_STYLE = {
  fontFamily: FONT_FAMILY,
  fontSize: 12,
  color: AXIS_COLOR,
  fontWeight: "bold",
} as const;

export function timeXAxis(range: TimeRange): XAXisComponentOption {
  return {
    type: "value",
    name: "simulated time (hh:mm:ss)",
    nameLocation: "middle",
    nameGap: 28,
    nameTextStyle: AXIS_NAME_STYLE,
    min: range.minS,
    max: range.maxS,
    interval: range.stepS,
    axisLabel: { formatter: (value: number) => formatSimTime(value), hideOverlap: true },
    splitLine: { show: true, lineStyle: { color: "#eeeeee" } },
  };
}

export interface ValueAxisOptions {
  readonly min?: number;
  readonly max?: number;
  readonly percent?: boolean;
  /** Whole-number ticks only (replica counts). */
  readonly integer?: boolean;
  /** Leave room above the data (a reference line at the top edge would hide its label). */
  readonly headroom?: boolean;
  /** With `headroom`: never above this (1 for fractions). */
  readonly maxCap?: number;
  /** Horizontal axis: the name sits closer, under the tick labels. */
  readonly horizontal?: boolean;
}

const NICE_MANTISSAS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] as const;

/** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) ≥ x; 1 for x ≤ 0. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of NICE_MANTISSAS) {
    // Rounded so that 3 × 0.1 compares as 0.3.
    const candidate = Number((m * power).toPrecision(12));
    if (candidate >= x) return candidate;
  }
  return Number((10 * power).toPrecision(12));
}

/** A value axis named with its unit, e.g. "TTFT (ms)"; `percent` labels a 0–1 fraction axis as 0%–100%. */
export function valueAxis(
  name: string,
  options: ValueAxisOptions = {},
): XAXisComponentOption & YAXisComponentOption {
  const axis: XAXisComponentOption & YAXisComponentOption = {
    type: "value",
    name,
    nameLocation: "middle",
    nameGap: options.horizontal === true ? 28 : 48,
    nameTextStyle: AXIS_NAME_STYLE,
    axisLabel: {
      formatter: options.percent === true ? (v: number) => `${Math.round(v * 100)}%` : formatAxisValue,
      hideOverlap: true,
    },
    splitLine: { show: true, lineStyle: { color: "#eeeeee" } },
  };
  if (options.min !== undefined) axis.min = options.min;
  if (options.max !== undefined) axis.max = options.max;
  else if (options.headroom === true) {
    const cap = options.maxCap ?? Number.POSITIVE_INFINITY;
    axis.max = (extent: { max: number }) => Math.min(cap, niceCeil(extent.max * 1.08));
  }
  if (options.integer === true) axis.minInterval = 1;
  return axis;
}

/** Plot area inside the SVG; outer bounds include axis names so nothing is clipped at the edges. */
export function plotGrid(topPx: number, bottomPx = 8): GridComponentOption {
  return {
    left: 12,
    right: 28,
    top: topPx,
    bottom: bottomPx,
    outerBoundsMode: "same",
    outerBoundsContain: "all",
  };
}

/**
 * Top of the plot area below a legend of these names at `widthPx` (rows wrap like echarts' legend does);
 * without a legend (fewer than `minEntries` names) just a margin.
 */
export function legendTopPx(names: readonly string[], widthPx: number, minEntries = 2): number {
  if (names.length < minEntries || names.length === 0) return 16;
  // ~7 px per character, 25 px icon and 10 px gap per entry; rows of 20 px.
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const w = 25 + 5 + name.length * 7 + 10;
    if (x + w > widthPx - 40 && x > 0) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return 12 + rows * 20;
}

/** A top legend for the given series names, or none with fewer than `minEntries` (a single series). */
export function topLegend(names: readonly string[], minEntries = 2): LegendComponentOption | undefined {
  if (names.length < minEntries || names.length === 0) return undefined;
  return {
    show: true,
    top: 4,
    left: "center",
    data: [...names],
    itemWidth: 22,
    itemHeight: 10,
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
  };
}

/** A centred "no data" message drawn in the plot area when a panel has nothing to show. */
export function noDataGraphic(message: string): GraphicComponentOption {
  return {
    type: "text",
    left: "center",
    top: "middle",
    silent: true,
    style: { text: message, fontSize: 14, fill: "#888888", fontFamily: FONT_FAMILY },
  };
}
