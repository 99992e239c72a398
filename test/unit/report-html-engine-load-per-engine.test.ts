// Engine-load panels: one line per (worker, dp rank) in numeric worker order, decode load = queued + in-flight
// decode KV tokens, and the dashed KV-capacity line at the result's max_kv_tokens.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import {
  loadReportFixture,
  pathPieces,
  pixelOf,
  sectionHtml,
  svgPaths,
  svgTexts,
  yAxisTicks,
} from "../support/report-kit.js";

describe("engine load (agg fixture)", () => {
  const result = loadReportFixture("agg");
  const html = renderPlannerReportHtml(result);

  it("legends every engine once, workers in numeric order (2 before 10)", () => {
    const ids = new Set<string>();
    for (const t of result.planner.diagnostics)
      for (const e of t.decode_engines) ids.add(`${e.worker_id}:dp${e.dp_rank}`);
    const expected = [...ids].sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    expect(expected).toContain("10:dp0");
    const legend = svgTexts(sectionHtml(html, "panel-decode-engine-load"))
      .map((t) => t.text)
      .filter((t) => /^\d+:dp\d+$/.test(t));
    expect(legend).toEqual(expected);
  });

  it("plots worker 0's first decode load at queued + in-flight decode KV tokens", () => {
    const section = sectionHtml(html, "panel-decode-engine-load");
    const first = result.planner.diagnostics
      .flatMap((t) => t.decode_engines)
      .find((e) => e.worker_id === "0");
    if (first === undefined) throw new Error("fixture lacks worker 0 metrics");
    const tokens = first.queued_decode_kv_tokens + first.inflight_decode_kv_tokens;
    // Worker 0 is the first engine: first palette colour, solid, not a legend icon.
    const line = svgPaths(section).find((p) => p.stroke === "#0072b2" && !p.dashed && !p.transformed);
    const start = (pathPieces(line?.d ?? "")[0] ?? [])[0];
    expect(start).toBeDefined();
    expect(Math.abs((start as [number, number])[1] - pixelOf(yAxisTicks(section), tokens))).toBeLessThan(1.5);
  });

  it("draws the KV capacity dashed at max_kv_tokens", () => {
    const section = sectionHtml(html, "panel-decode-engine-load");
    const capacity = result.planner.max_kv_tokens;
    expect(capacity).toBe(1_048_576);
    const dashed = svgPaths(section).filter((p) => p.dashed && !p.transformed && p.stroke === "#555555");
    expect(dashed).toHaveLength(1);
    const y = ((pathPieces(dashed[0]?.d ?? "")[0] ?? [])[0] ?? [0, Number.NaN])[1];
    expect(Math.abs(y - pixelOf(yAxisTicks(section), capacity as number))).toBeLessThan(1.5);
  });
});
