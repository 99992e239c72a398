// Long runs stay small: every line is cut to at most MAX_POINTS_PER_LINE points by keeping each bucket's minimum,
// maximum and first gap, so spikes survive; decision markers are thinned per time bucket; the file stays a few MB.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { downsampleMinMax, MAX_POINTS_PER_LINE, type Point } from "../../src/report/html/downsample.js";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import type { PlannerReplayResultJson } from "../../src/report/planner-result.js";
import {
  loadReportFixture,
  mutableCopy,
  pathPieces,
  pixelOf,
  sectionHtml,
  svgPaths,
  yAxisTicks,
} from "../support/report-kit.js";

const pointArb = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.constant(null) },
);

describe("downsampleMinMax", () => {
  it("returns short series unchanged", () => {
    const points: Point[] = [
      [0, 1],
      [1, null],
      [2, 3],
    ];
    expect(downsampleMinMax(points, 3)).toEqual(points);
  });

  it("keeps at most maxPoints, in order, a subsequence holding the global min, max and a gap", () => {
    fc.assert(
      fc.property(
        fc.array(pointArb, { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 3, max: 400 }),
        (ys, maxPoints) => {
          const points: Point[] = ys.map((y, i) => [i, y]);
          const out = downsampleMinMax(points, maxPoints);
          expect(out.length).toBeLessThanOrEqual(maxPoints);
          // A subsequence: x (= input index) strictly increasing and each point as in the input.
          for (let i = 1; i < out.length; i++)
            expect((out[i] as Point)[0]).toBeGreaterThan((out[i - 1] as Point)[0]);
          for (const p of out) expect(points[p[0]]).toEqual(p);
          const values = ys.filter((y): y is number => y !== null);
          const kept = out.map((p) => p[1]).filter((y): y is number => y !== null);
          if (values.length > 0) {
            expect(kept).toContain(Math.min(...values));
            expect(kept).toContain(Math.max(...values));
          }
          if (ys.includes(null)) expect(out.some((p) => p[1] === null)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

/** The agg fixture repeated `copies` times back to back in simulated time (ticks, KV samples, events). */
function tiled(copies: number): PlannerReplayResultJson {
  const base = loadReportFixture("agg");
  const out = mutableCopy(base);
  const ticks = base.planner.diagnostics;
  const spanS = (ticks.at(-1)?.timestamp_s ?? 0) - (ticks[0]?.timestamp_s ?? 0) + 2;
  out.planner.diagnostics = [];
  out.planner.kv_utilisation = [];
  out.planner.scaling_events = [];
  for (let c = 0; c < copies; c++) {
    const shift = c * spanS;
    for (const t of mutableCopy(ticks))
      out.planner.diagnostics.push({ ...t, timestamp_s: t.timestamp_s + shift });
    for (const k of base.planner.kv_utilisation)
      out.planner.kv_utilisation.push({ ...k, at_s: k.at_s + shift });
    for (const e of base.planner.scaling_events)
      out.planner.scaling_events.push({ ...e, at_s: e.at_s + shift });
  }
  out.planner.ticks = out.planner.diagnostics.length;
  return out;
}

describe("a 12,000-tick run", () => {
  const result = tiled(204);
  const ticks = result.planner.diagnostics;
  const html = renderPlannerReportHtml(result);

  it("has more ticks than a line may carry", () => {
    expect(ticks.length).toBe(59 * 204);
    expect(ticks.length).toBeGreaterThan(MAX_POINTS_PER_LINE * 5);
  });

  it("draws the estimated TTFT with at most MAX_POINTS_PER_LINE vertices, its peak still on the chart", () => {
    const section = sectionHtml(html, "panel-estimated-ttft");
    const line = svgPaths(section).filter((p) => p.stroke === "#009e73" && !p.transformed);
    expect(line).toHaveLength(1);
    const vertices = pathPieces((line[0] as { d: string }).d).flat();
    expect(vertices.length).toBeLessThanOrEqual(MAX_POINTS_PER_LINE);
    expect(vertices.length).toBeGreaterThan(MAX_POINTS_PER_LINE / 2);
    const peakMs = Math.max(...ticks.map((t) => t.estimated_ttft_ms ?? Number.NEGATIVE_INFINITY));
    const topY = Math.min(...vertices.map((v) => v[1]));
    expect(Math.abs(topY - pixelOf(yAxisTicks(section), peakMs))).toBeLessThan(1.5);
  });

  it("thins decision markers to at most one per reason per bucket, and stays under 4 MB", () => {
    const section = sectionHtml(html, "panel-load-decisions");
    const markers = svgPaths(section).filter((p) => p.markerAt !== null).length;
    const reasons = new Set(ticks.map((t) => t.load_decision_reason)).size;
    expect(markers).toBeLessThanOrEqual(reasons * 800);
    expect(markers).toBeLessThan(ticks.length);
    expect(Buffer.byteLength(html, "utf8")).toBeLessThan(4 * 1024 * 1024);
  });
});
