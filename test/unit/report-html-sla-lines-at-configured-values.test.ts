// SLA lines are dashed red and sit at the configured targets: their pixel position is checked against the
// axis tick labels drawn in the same SVG, for the fixtures' targets and for moved ones.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import type { PlannerReplayResultJson } from "../../src/report/planner-result.js";
import {
  loadReportFixture,
  mutableCopy,
  pathPieces,
  pixelOf,
  sectionHtml,
  svgPaths,
  svgTexts,
  xAxisTicks,
  yAxisTicks,
} from "../support/report-kit.js";

const SLA_RED = "#d62728";

/** The dashed red plot lines of a panel (legend icons are drawn with a transform; these are not). */
function slaLines(section: string): [number, number][][] {
  return svgPaths(section)
    .filter((p) => p.stroke === SLA_RED && p.dashed && !p.transformed)
    .map((p) => pathPieces(p.d)[0] as [number, number][]);
}

function withSla(ttftMs: number, itlMs: number): PlannerReplayResultJson {
  const result = mutableCopy(loadReportFixture("agg"));
  result.planner.sla_attainment.ttft_sla_ms = ttftMs;
  result.planner.sla_attainment.itl_sla_ms = itlMs;
  return result;
}

describe.each([
  // The agg fixture's config (ttft 1500, itl 30), then targets moved up and down.
  { ttftMs: 1500, itlMs: 30, ttftLabel: "1,500", itlLabel: "30" },
  { ttftMs: 700, itlMs: 12.5, ttftLabel: "700", itlLabel: "12.5" },
  { ttftMs: 4000, itlMs: 80, ttftLabel: "4,000", itlLabel: "80" },
])("SLA lines at TTFT $ttftMs ms, ITL $itlMs ms", ({ ttftMs, itlMs, ttftLabel, itlLabel }) => {
  const html = renderPlannerReportHtml(withSla(ttftMs, itlMs));

  it.each([
    ["panel-observed-ttft", "TTFT"],
    ["panel-estimated-ttft", "TTFT"],
    ["panel-observed-itl", "ITL"],
    ["panel-estimated-itl", "ITL"],
  ])("%s: one dashed red horizontal line at the target, labelled", (id, metric) => {
    const section = sectionHtml(html, id);
    const target = metric === "TTFT" ? ttftMs : itlMs;
    const lines = slaLines(section);
    expect(lines).toHaveLength(1);
    const line = lines[0] as [number, number][];
    expect(line).toHaveLength(2);
    const [[x0, y0], [x1, y1]] = line as [[number, number], [number, number]];
    expect(y1).toBeCloseTo(y0, 6);
    expect(x1 - x0).toBeGreaterThan(300);
    expect(Math.abs(y0 - pixelOf(yAxisTicks(section), target))).toBeLessThan(1.5);
    const label = `${metric} SLA ${metric === "TTFT" ? ttftLabel : itlLabel} ms`;
    const texts = svgTexts(section).filter((t) => t.text === label);
    // One in the legend, one on the line, drawn in the SLA red.
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.fill === SLA_RED)).toBe(true);
  });

  it.each([
    ["panel-ttft-cdf", "TTFT"],
    ["panel-itl-cdf", "ITL"],
  ])("%s: one dashed red vertical line at the target", (id, metric) => {
    const section = sectionHtml(html, id);
    const target = metric === "TTFT" ? ttftMs : itlMs;
    const lines = slaLines(section);
    expect(lines).toHaveLength(1);
    const [[x0, y0], [x1, y1]] = lines[0] as [[number, number], [number, number]];
    expect(x1).toBeCloseTo(x0, 6);
    expect(Math.abs(y1 - y0)).toBeGreaterThan(150);
    expect(Math.abs(x0 - pixelOf(xAxisTicks(section), target))).toBeLessThan(1.5);
  });
});

describe("attainment in the CDF subtitles", () => {
  it("states the fraction and request counts of the result", () => {
    const result = mutableCopy(loadReportFixture("disagg"));
    // Hand-picked values: 0.8125 → "81.3%" (one decimal, half up), 0.5 → "50.0%".
    result.planner.sla_attainment.ttft_fraction = 0.8125;
    result.planner.sla_attainment.ttft_requests = 1234;
    result.planner.sla_attainment.itl_fraction = 0.5;
    result.planner.sla_attainment.itl_requests = 98;
    const html = renderPlannerReportHtml(result);
    expect(sectionHtml(html, "panel-ttft-cdf")).toContain(
      '<p class="subtitle">81.3% of 1,234 requests with a first token met the TTFT SLA (≤ 1,000 ms).</p>',
    );
    expect(sectionHtml(html, "panel-itl-cdf")).toContain(
      "50.0% of 98 requests with ≥ 2 tokens met the ITL SLA",
    );
  });
});
