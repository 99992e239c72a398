// Server-side chart rendering: echarts 6 in SSR mode draws each panel to a static SVG string in Node, so the
// report page carries no chart library and makes no network request.
//
// Determinism: echarts numbers its instances (clip-path ids like "zr7-c0") and, process-wide, the CSS classes of
// its hover rules ("zr7-cls-160"), so the same chart rendered twice in one process differs, and two charts inlined
// in one page could collide (a clip-path reference resolves to the first element with that id in the document).
// Clip-path ids are rewritten to the panel's own fixed prefix; the hover classes and their <style> block, useless
// in a static page, are dropped.

import type { EChartsOption } from "echarts";
import * as echarts from "echarts";
import { escapeHtml } from "./escape.js";

export const CHART_WIDTH_PX = 640;
export const CHART_HEIGHT_PX = 360;

/**
 * Font stack of the page and of every SVG. Arial-metric fonts only (Arial, Helvetica, Liberation Sans, which
 * Debian's chromium pulls in): echarts lays out legends and labels in Node with Helvetica/Arial character widths,
 * so text drawn in a wider font (DejaVu, system-ui on Linux) would overlap its neighbours.
 */
export const FONT_FAMILY = "Arial, Helvetica, 'Liberation Sans', 'Nimbus Sans', sans-serif";

/** Colour-blind-friendly categorical palette (Okabe–Ito, then Tableau extras) for data series. */
export const PALETTE = [
  "#0072b2",
  "#e69f00",
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#d55e00",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
  "#8c564b",
  "#9467bd",
  "#1f77b4",
] as const;

export const SLA_COLOR = "#d62728";
export const TEXT_COLOR = "#333333";
export const AXIS_COLOR = "#6e7079";

export interface ChartSpec {
  /** Fixed id prefix for everything echarts names inside the SVG (the panel id). */
  readonly id: string;
  /** Accessible description of the chart (the panel title). */
  readonly label: string;
  readonly option: EChartsOption;
  readonly widthPx?: number;
  readonly heightPx?: number;
}

const BASE_OPTION: EChartsOption = {
  animation: false,
  backgroundColor: "#ffffff",
  color: [...PALETTE],
  textStyle: { fontFamily: FONT_FAMILY, color: TEXT_COLOR, fontSize: 12 },
};

/** Renders one chart to a self-contained SVG element string. */
export function renderChartSvg(spec: ChartSpec): string {
  const width = spec.widthPx ?? CHART_WIDTH_PX;
  const height = spec.heightPx ?? CHART_HEIGHT_PX;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption({ ...BASE_OPTION, ...spec.option });
    svg = chart.renderToSVGString();
  } finally {
    // An undisposed SSR instance keeps a timer alive and the process from exiting.
    chart.dispose();
  }
  return finishSvg(svg, spec.id, spec.label);
}

/**
 * Gives echarts' generated ids the panel's fixed prefix, drops the hover classes with their style block and the
 * hydration metadata attributes (only useful to echarts' client-side runtime, which the page does not load), and
 * marks the SVG as an image with an accessible label that scales to its container.
 */
export function finishSvg(svg: string, id: string, label: string): string {
  const prefix = `${id}-`;
  return svg
    .replace(/ class="zr\d+-cls-\d+"/g, "")
    .replace(/<style[^>]*><!\[CDATA\[[\s\S]*?\]\]>\s*<\/style>\n?/g, "")
    .replace(/(id="|url\(#|href="#)zr\d+-/g, `$1${prefix}`)
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, "")
    .replace(/^<svg /, `<svg class="chart" role="img" aria-label="${escapeHtml(label)}" `);
}
