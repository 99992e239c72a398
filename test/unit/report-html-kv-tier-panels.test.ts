// Runs whose workers have host or disk KV tiers get two more panels — reuse per tier as bars and the onboarding
// time as a CDF with its p50 and p99 — and two summary rows; runs without tiers get neither.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import type { PlannerReplayResultJson } from "../../src/report/planner-result.js";
import { plannerResultFromJson, plannerResultToJson } from "../../src/report/planner-result-text.js";
import {
  EXPECTED_PANELS,
  KV_TIER_PANELS,
  loadReportFixture,
  mutableCopy,
  sectionHtml,
  svgPaths,
  svgTexts,
} from "../support/report-kit.js";

/**
 * The agg fixture with a hand-made tier section: 50 % of prompt tokens from the GPU, 20 % from host, 5 % from
 * disk; four requests onboarded 3 GB, taking 10, 20, 20 and 50 ms (mean 25, p50 20, p99 50).
 */
function tiered(requests = 4): PlannerReplayResultJson {
  const result = mutableCopy(loadReportFixture("agg"));
  const onboarded = requests > 0;
  result.planner.distributions.onboard_ms_cdf = onboarded
    ? [
        [10, 0.25],
        [20, 0.5],
        [20, 0.75],
        [50, 1],
      ]
    : [];
  return {
    ...result,
    kv_tiers: {
      reused_ratio_g1: 0.5,
      reused_ratio_g2: 0.2,
      reused_ratio_g3: 0.05,
      onboarding: {
        requests,
        mean_ms: onboarded ? 25 : null,
        p50_ms: onboarded ? 20 : null,
        p99_ms: onboarded ? 50 : null,
        bytes: onboarded ? 3e9 : 0,
      },
    },
  };
}

const panelIds = (html: string): string[] =>
  [...html.matchAll(/<section id="(panel-[^"]+)"/g)].map((m) => m[1] as string);

describe("the KV tier panels of the HTML report", () => {
  it("are absent without a kv_tiers section, and follow kvsim's other panels with one", () => {
    const plain = renderPlannerReportHtml(loadReportFixture("agg"));
    expect(panelIds(plain)).toEqual(EXPECTED_PANELS.map(([id]) => id));
    expect(plain).not.toContain("Reuse by tier");
    const html = renderPlannerReportHtml(tiered());
    expect(panelIds(html)).toEqual([...EXPECTED_PANELS, ...KV_TIER_PANELS].map(([id]) => id));
  });

  it("draws one bar per tier, heights in proportion to the shares, labelled in percent", () => {
    const section = sectionHtml(renderPlannerReportHtml(tiered()), "panel-kv-tier-reuse");
    const texts = svgTexts(section).map((t) => t.text);
    for (const label of ["GPU (G1)", "host (G2)", "disk (G3)", "50.0%", "20.0%", "5.0%"])
      expect(texts, label).toContain(label);
    expect(section).toContain("together 75.0% (the prefix-cache reuse)");
    // Bars are "M x y l w 0 l 0 −h l −w 0 Z" paths: heights 0.5 : 0.2 : 0.05 = 10 : 4 : 1.
    const heights = svgPaths(section)
      .filter((p) => p.fill?.startsWith("rgb(") === true)
      .map((p) => Number(/l0 (-?[\d.]+)/.exec(p.d)?.[1]));
    expect(heights).toHaveLength(3);
    const [g1, g2, g3] = heights.map((h) => -h) as [number, number, number];
    expect(g1 / g3).toBeCloseTo(10, 0);
    expect(g2 / g3).toBeCloseTo(4, 0);
  });

  it("plots the onboarding CDF with its p50 and p99 lines and states the figures", () => {
    const section = sectionHtml(renderPlannerReportHtml(tiered()), "panel-kv-onboarding-cdf");
    expect(section).toContain(
      "4 requests onboarded KV from host or disk, 3 GB in all; mean 25 ms, p50 20 ms, p99 50 ms.",
    );
    const texts = svgTexts(section).map((t) => t.text);
    for (const label of ["per request", "p50 20 ms", "p99 50 ms", "onboarding time (ms)"])
      expect(texts, label).toContain(label);
  });

  it("says so when no request onboarded", () => {
    const html = renderPlannerReportHtml(tiered(0));
    const section = sectionHtml(html, "panel-kv-onboarding-cdf");
    expect(section).toContain("No request onboarded KV from host or disk.");
    expect(svgTexts(section).map((t) => t.text)).toContain("no request onboarded KV");
    expect(sectionHtml(html, "summary")).toContain("no request onboarded");
  });

  it("adds the reuse per tier and the onboarding p50 / p99 to the summary table", () => {
    const summary = sectionHtml(renderPlannerReportHtml(tiered()), "summary");
    expect(summary).toContain("Reuse by tier: GPU / host / disk");
    expect(summary).toContain("50.0% / 20.0% / 5.0%");
    expect(summary).toContain("20 / 50 ms (4 requests)");
  });

  it("renders the same page from the saved JSON, whose kv_tiers section sits between the report and planner", () => {
    const result = tiered();
    const json = plannerResultToJson(result);
    const keys = Object.keys(JSON.parse(json) as object);
    expect(keys.slice(keys.indexOf("kv_tiers"))).toEqual(["kv_tiers", "planner"]);
    const reloaded = plannerResultFromJson(JSON.parse(json));
    expect(reloaded.kv_tiers).toEqual(result.kv_tiers);
    expect(renderPlannerReportHtml(reloaded)).toBe(renderPlannerReportHtml(result));
  });

  it("refuses a malformed kv_tiers section by name", () => {
    const value = JSON.parse(plannerResultToJson(tiered())) as { kv_tiers: { onboarding: object } };
    value.kv_tiers.onboarding = { requests: "4" };
    expect(() => plannerResultFromJson(value, "r.json")).toThrow(
      'r.json: "kv_tiers.onboarding.requests" is not a number',
    );
  });

  it("adds the tier discount panel when the ticks carry its figures, with the share onboarding took back", () => {
    const result = mutableCopy(tiered());
    const ticks = result.planner.diagnostics as unknown as Record<string, unknown>[];
    // The fixture's 59 ticks; from tick 10 on (49 ticks: 25 even, 24 odd) host + disk hits of 0.3 each; on even
    // ticks onboarding deducts 0.05, on odd ones 0.5 (more than the hits: only 0.3 comes off). Taken back:
    // (25 × 0.05 + 24 × 0.3) / (49 × 0.3) = 8.45 / 14.7 = 57.5 %.
    expect(ticks).toHaveLength(59);
    ticks.forEach((t, i) => {
      if (i < 10) return;
      const deduction = i % 2 === 0 ? 0.05 : 0.5;
      t.kv_tiers = {
        gpu_hit: 0.4,
        host_hit: 0.2,
        disk_hit: 0.1,
        onboard_ms: deduction * 200,
        prefill_ms: 200,
        onboard_deduction: deduction,
        effective_hit: 0.4 + Math.max(0, 0.3 - deduction),
      };
    });
    const html = renderPlannerReportHtml(result);
    expect(panelIds(html)).toEqual(
      [...EXPECTED_PANELS, ...KV_TIER_PANELS, ["panel-kv-tier-discount", ""]].map(([id]) => id),
    );
    const section = sectionHtml(html, "panel-kv-tier-discount");
    expect(section).toContain("took back 57.5% of the host and disk hits");
    const texts = svgTexts(section).map((t) => t.text);
    for (const label of ["GPU hit", "GPU + host + disk hit", "effective (applied)"])
      expect(texts, label).toContain(label);
    // The figures survive the JSON file: the reloaded result draws the same page.
    const reloaded = plannerResultFromJson(JSON.parse(plannerResultToJson(result)));
    expect(renderPlannerReportHtml(reloaded)).toBe(html);
  });
});
