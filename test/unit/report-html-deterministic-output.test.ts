// Same input, same bytes: no generation time, no random or per-process ids (echarts numbers its instances, so
// ids are rewritten to fixed per-panel prefixes), whatever was rendered before in the same process.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import { plannerResultFromJson, plannerResultToJson } from "../../src/report/planner-result-text.js";
import { loadReportFixture } from "../support/report-kit.js";

describe("deterministic report", () => {
  it("renders byte-identical HTML for the same result, even after rendering others", () => {
    const first = renderPlannerReportHtml(loadReportFixture("agg"));
    renderPlannerReportHtml(loadReportFixture("disagg"));
    const again = renderPlannerReportHtml(loadReportFixture("agg"));
    expect(again).toBe(first);
  });

  it("carries no echarts instance ids, and every element id is unique in the page", () => {
    const html = renderPlannerReportHtml(loadReportFixture("disagg"));
    expect(html).not.toMatch(/\bzr\d+-/);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(17);
    expect(new Set(ids).size).toBe(ids.length);
    // Every url(#id) reference (clip paths) resolves to an id of its own panel.
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it("renders a saved report JSON file exactly as the in-memory result it was written from", () => {
    const result = loadReportFixture("disagg");
    const reloaded = plannerResultFromJson(JSON.parse(plannerResultToJson(result)));
    expect(renderPlannerReportHtml(reloaded)).toBe(renderPlannerReportHtml(result));
  });
});
