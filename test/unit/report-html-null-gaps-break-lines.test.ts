// Nulls are gaps: an observed series breaks where the planner had no value and resumes at the next tick with one,
// at the right simulated times; predictions, made only on throughput ticks, are joined across the ticks between.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import {
  loadReportFixture,
  mutableCopy,
  pathPieces,
  pixelOf,
  sectionHtml,
  svgPaths,
  xAxisTicks,
} from "../support/report-kit.js";

const OBSERVED_BLUE = "#0072b2";
const PREDICTED_ORANGE = "#e69f00";

/** Plot lines of one colour (legend icons carry a transform and are skipped). */
function linesOf(section: string, stroke: string, dashed: boolean): [number, number][][][] {
  return svgPaths(section)
    .filter((p) => p.stroke === stroke && p.dashed === dashed && !p.transformed && p.markerAt === null)
    .map((p) => pathPieces(p.d));
}

describe("null gaps", () => {
  const base = loadReportFixture("agg");
  const ticks = base.planner.diagnostics;
  const edited = mutableCopy(base);
  for (let i = 20; i < 30; i++)
    (edited.planner.diagnostics[i] as { observed_ttft_ms: number | null }).observed_ttft_ms = null;

  it("the fixture's observed TTFT is one piece starting at the first tick with a value", () => {
    const section = sectionHtml(renderPlannerReportHtml(base), "panel-observed-ttft");
    const lines = linesOf(section, OBSERVED_BLUE, false);
    expect(lines).toHaveLength(1);
    const pieces = lines[0] as [number, number][][];
    expect(pieces).toHaveLength(1);
    const firstWithValue = ticks.findIndex((t) => t.observed_ttft_ms !== null);
    expect(firstWithValue).toBe(4); // no traffic window before the fifth tick (fixture README)
    const start = (pieces[0] as [number, number][])[0] as [number, number];
    const x = pixelOf(xAxisTicks(section), (ticks[4] as { timestamp_s: number }).timestamp_s);
    expect(Math.abs(start[0] - x)).toBeLessThan(1);
  });

  it("a run of nulls splits the line: the last value holds until the first null tick, then restarts after", () => {
    const section = sectionHtml(renderPlannerReportHtml(edited), "panel-observed-ttft");
    const lines = linesOf(section, OBSERVED_BLUE, false);
    expect(lines).toHaveLength(1);
    const pieces = lines[0] as [number, number][][];
    expect(pieces).toHaveLength(2);
    const axis = xAxisTicks(section);
    const before = (pieces[0] as [number, number][]).at(-1) as [number, number];
    const after = (pieces[1] as [number, number][])[0] as [number, number];
    // Observed values are sticky (a staircase): tick 19's value holds until tick 20, the first without one.
    expect(
      Math.abs(before[0] - pixelOf(axis, (ticks[20] as { timestamp_s: number }).timestamp_s)),
    ).toBeLessThan(1);
    expect(
      Math.abs(after[0] - pixelOf(axis, (ticks[30] as { timestamp_s: number }).timestamp_s)),
    ).toBeLessThan(1);
  });

  it("predictions are joined across the ticks between throughput ticks, one vertex per prediction", () => {
    const section = sectionHtml(renderPlannerReportHtml(base), "panel-request-rate");
    const lines = linesOf(section, PREDICTED_ORANGE, true);
    expect(lines).toHaveLength(1);
    const pieces = lines[0] as [number, number][][];
    expect(pieces).toHaveLength(1);
    const predictions = ticks.filter((t) => t.predicted_requests_per_second !== null).length;
    expect(predictions).toBeGreaterThan(5);
    expect((pieces[0] as [number, number][]).length).toBe(predictions);
  });
});
