// Test helpers for the HTML report: the frozen replay results of this folder, and small readers of the rendered
// page (sections, SVG text and paths, axis tick positions) that work on the HTML string without a browser.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PlannerReplayResultJson } from "../../src/report/planner-result.js";
import { plannerResultFromJson } from "../../src/report/planner-result-text.js";

export type ReportFixtureName = "agg" | "disagg" | "agg-tiers";

export function reportFixturePath(name: ReportFixtureName): string {
  return fileURLToPath(new URL(`../fixtures/report/${name}-result.json`, import.meta.url));
}

/** A fresh, mutable copy of a fixture result (tests edit it freely). */
export function loadReportFixture(name: ReportFixtureName): PlannerReplayResultJson {
  const path = reportFixturePath(name);
  return plannerResultFromJson(JSON.parse(readFileSync(path, "utf8")), path);
}

/** A deep, mutable clone for tests that alter a result. */
export function mutableCopy<T>(value: T): Mutable<T> {
  return structuredClone(value) as Mutable<T>;
}

/** Readonly stripped at every depth (mapped types keep arrays and tuples as they are). */
export type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

/** Panel ids in page order: the upstream recorder's twelve, then kvsim's five additions. */
export const EXPECTED_PANELS: readonly (readonly [id: string, title: string])[] = [
  ["panel-replica-counts", "Replica Counts"],
  ["panel-request-rate", "Request Rate (Observed vs Predicted)"],
  ["panel-observed-ttft", "Observed TTFT vs SLA"],
  ["panel-observed-itl", "Observed ITL vs SLA"],
  ["panel-estimated-ttft", "Estimated TTFT vs SLA"],
  ["panel-estimated-itl", "Estimated ITL vs SLA"],
  ["panel-prefill-engine-load", "Prefill Engine Load (queued prefill tokens)"],
  ["panel-decode-engine-load", "Decode Engine Load (queued + inflight decode KV tokens)"],
  ["panel-engine-capacity", "Engine Capacity (req/s)"],
  ["panel-sequence-lengths", "Sequence Lengths (Observed vs Predicted)"],
  ["panel-load-decisions", "Load Scaling Decisions"],
  ["panel-throughput-decisions", "Throughput Scaling Decisions"],
  ["panel-kv-hit-rate", "KV Cache Hit Rate (Observed vs Predicted)"],
  ["panel-effective-isl", "Input Sequence Length: Raw vs Effective"],
  ["panel-ttft-cdf", "TTFT Distribution (CDF) vs SLA"],
  ["panel-itl-cdf", "ITL Distribution (CDF) vs SLA"],
  ["panel-kv-utilisation", "KV-Cache Utilisation per Worker"],
];

/** The panels a run with host or disk KV tiers adds after EXPECTED_PANELS. */
export const KV_TIER_PANELS: readonly (readonly [id: string, title: string])[] = [
  ["panel-kv-tier-reuse", "KV Cache Reuse by Tier"],
  ["panel-kv-onboarding-cdf", "KV Onboarding Time (CDF)"],
];

/** Panel ids in page order for a fixture. */
export function expectedPanelsOf(name: ReportFixtureName): readonly (readonly [id: string, title: string])[] {
  return name === "agg-tiers" ? [...EXPECTED_PANELS, ...KV_TIER_PANELS] : EXPECTED_PANELS;
}

/** The `<section id="…">…</section>` of one panel (sections do not nest). */
export function sectionHtml(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  if (start < 0) throw new Error(`no section ${id}`);
  const end = html.indexOf("</section>", start);
  return html.slice(start, end + "</section>".length);
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

export interface SvgText {
  readonly text: string;
  readonly anchor: string | null;
  /** Translation of the element (its anchor point), when it has a plain translate transform. */
  readonly x: number | null;
  readonly y: number | null;
  readonly fill: string | null;
}

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m === null ? null : (m[1] as string);
};

export function svgTexts(fragment: string): SvgText[] {
  const out: SvgText[] = [];
  for (const m of fragment.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)) {
    const tag = m[1] as string;
    const translate = /transform="translate\(([-\d.e]+) ([-\d.e]+)\)"/.exec(tag);
    out.push({
      text: decodeEntities(m[2] as string),
      anchor: attr(tag, "text-anchor"),
      x: translate === null ? null : Number(translate[1]),
      y: translate === null ? null : Number(translate[2]),
      fill: attr(tag, "fill"),
    });
  }
  return out;
}

export interface SvgPath {
  readonly d: string;
  /** Centre of a scatter marker (drawn at the origin and placed by a matrix transform), else null. */
  readonly markerAt: readonly [number, number] | null;
  readonly stroke: string | null;
  readonly fill: string | null;
  readonly dashed: boolean;
  readonly transformed: boolean;
}

export function svgPaths(fragment: string): SvgPath[] {
  const out: SvgPath[] = [];
  for (const m of fragment.matchAll(/<path([^>]*)>/g)) {
    const tag = m[1] as string;
    const matrix =
      /transform="matrix\(([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+),([-\d.e]+)\)"/.exec(tag);
    out.push({
      d: attr(tag, "d") ?? "",
      markerAt: matrix === null ? null : [Number(matrix[5]), Number(matrix[6])],
      stroke: attr(tag, "stroke"),
      fill: attr(tag, "fill"),
      dashed: attr(tag, "stroke-dasharray") !== null,
      transformed: attr(tag, "transform") !== null,
    });
  }
  return out;
}

/** "1.2k" → 1200, "3M" → 3e6, "45%" → 0.45, "12" → 12, "01:02:03" → 3723 (s); null for anything else. */
export function parseTickLabel(label: string): number | null {
  const clock = /^(\d+):(\d\d):(\d\d)$/.exec(label.trim());
  if (clock !== null) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const m = /^(-?\d+(?:\.\d+)?)(k|M|%)?$/.exec(label.trim());
  if (m === null) return null;
  const v = Number(m[1]);
  if (m[2] === "k") return v * 1e3;
  if (m[2] === "M") return v * 1e6;
  if (m[2] === "%") return v / 100;
  return v;
}

/** Numeric tick labels of the left value axis (right-aligned texts) as [value, pixel y]. */
export function yAxisTicks(fragment: string): [number, number][] {
  const ticks: [number, number][] = [];
  for (const t of svgTexts(fragment)) {
    if (t.anchor !== "end" || t.y === null) continue;
    const v = parseTickLabel(t.text);
    if (v !== null) ticks.push([v, t.y]);
  }
  return ticks;
}

/** Numeric (or hh:mm:ss) tick labels of the x axis (centred texts below the plot) as [value, pixel x]. */
export function xAxisTicks(fragment: string): [number, number][] {
  const texts = svgTexts(fragment).filter((t) => t.anchor === "middle" && t.x !== null && t.y !== null);
  const numeric = texts
    .map((t) => [parseTickLabel(t.text), t.x as number, t.y as number] as const)
    .filter((t): t is readonly [number, number, number] => t[0] !== null);
  const lowest = Math.max(...numeric.map((t) => t[2]));
  return numeric.filter((t) => t[2] === lowest).map((t) => [t[0], t[1]]);
}

/** Pixel position of `value` by linear interpolation between the first and last axis ticks. */
export function pixelOf(ticks: readonly [number, number][], value: number): number {
  const sorted = [...ticks].sort((a, b) => a[0] - b[0]);
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (lo === undefined || hi === undefined || lo[0] === hi[0]) throw new Error("need two distinct ticks");
  return lo[1] + ((value - lo[0]) * (hi[1] - lo[1])) / (hi[0] - lo[0]);
}

/** Coordinates of an "M x y L x y …" path: one array per sub-path (a new M starts a new piece). */
export function pathPieces(d: string): [number, number][][] {
  const pieces: [number, number][][] = [];
  for (const m of d.matchAll(/([ML])\s*([-\d.e]+)[ ,]([-\d.e]+)/g)) {
    const point: [number, number] = [Number(m[2]), Number(m[3])];
    if (m[1] === "M" || pieces.length === 0) pieces.push([point]);
    else (pieces[pieces.length - 1] as [number, number][]).push(point);
  }
  return pieces;
}
