// With a `comparison` section (--compare-hindsight) the replica panel also draws the hindsight schedule's replicas:
// a dotted staircase at the schedule's counts; without one the panel is unchanged.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import type { ComparisonJson } from "../../src/report/planner-result.js";
import {
  loadReportFixture,
  mutableCopy,
  pixelOf,
  sectionHtml,
  svgPaths,
  svgTexts,
  yAxisTicks,
} from "../support/report-kit.js";

const comparison: ComparisonJson = {
  attainment_target: 0.95,
  hindsight: {
    gpu_hours: 0.01,
    ttft_fraction: 1,
    itl_fraction: 1,
    planner_ratio: 2,
    chosen: "schedule",
    trials: 9,
    replica_steps: {
      agg: [
        [0, 3],
        [60, 5],
      ],
    },
  },
  cheapest_static: {
    gpu_hours: 0.02,
    ttft_fraction: 1,
    itl_fraction: 1,
    planner_ratio: 1,
    prefill: null,
    decode: 5,
    gpus: 5,
  },
};

describe("replica panel with --compare-hindsight", () => {
  it("draws the hindsight replicas as a dotted staircase at their counts, named in the legend", () => {
    const base = loadReportFixture("agg");
    const result = { ...mutableCopy(base), comparison };
    const panel = sectionHtml(renderPlannerReportHtml(result), "panel-replica-counts");
    expect(svgTexts(panel).some((t) => t.text === "hindsight agg")).toBe(true);
    const dotted = svgPaths(panel).filter((p) => p.dashed && !p.transformed);
    expect(dotted.length).toBeGreaterThan(0);
    // Its y pixels are the counts 3 and 5 on the panel's own axis.
    const ticks = yAxisTicks(panel);
    const ys = new Set(
      dotted.flatMap((p) =>
        [...p.d.matchAll(/[ML]\s*[-\d.]+[ ,]([-\d.]+)/g)].map((m) => Math.round(Number(m[1]))),
      ),
    );
    expect(ys.has(Math.round(pixelOf(ticks, 3)))).toBe(true);
    expect(ys.has(Math.round(pixelOf(ticks, 5)))).toBe(true);
    const plain = sectionHtml(renderPlannerReportHtml(base), "panel-replica-counts");
    expect(svgTexts(plain).some((t) => t.text.startsWith("hindsight"))).toBe(false);
  });
});
