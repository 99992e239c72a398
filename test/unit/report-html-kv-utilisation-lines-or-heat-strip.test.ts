// Per-worker KV-cache utilisation: up to six workers get one colour each (solid = active ÷ capacity, dashed =
// (active + inactive) ÷ capacity) with a legend; more get two heat strips, one row per worker, one cell per
// worker and sample time.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import {
  loadReportFixture,
  mutableCopy,
  pathPieces,
  pixelOf,
  sectionHtml,
  svgPaths,
  svgTexts,
  yAxisTicks,
} from "../support/report-kit.js";

describe("few workers: lines", () => {
  const result = mutableCopy(loadReportFixture("agg"));
  result.planner.kv_utilisation = result.planner.kv_utilisation.filter((k) => k.worker_id <= 2);
  const section = sectionHtml(renderPlannerReportHtml(result), "panel-kv-utilisation");

  it("legends one entry per worker and draws a solid and a dashed line for each", () => {
    const texts = svgTexts(section).map((t) => t.text);
    for (const w of ["worker 0", "worker 1", "worker 2"]) expect(texts).toContain(w);
    // Workers 0, 1, 2 take the first three palette colours (Okabe–Ito blue, orange, green).
    const workerColours = ["#0072b2", "#e69f00", "#009e73"];
    const lines = svgPaths(section).filter((p) => !p.transformed && workerColours.includes(p.stroke ?? ""));
    const byColour = new Map<string, { solid: number; dashed: number }>();
    for (const l of lines) {
      if (l.stroke === null) continue;
      const entry = byColour.get(l.stroke) ?? { solid: 0, dashed: 0 };
      if (l.dashed) entry.dashed++;
      else entry.solid++;
      byColour.set(l.stroke, entry);
    }
    expect([...byColour.values()]).toEqual([
      { solid: 1, dashed: 1 },
      { solid: 1, dashed: 1 },
      { solid: 1, dashed: 1 },
    ]);
  });

  it("plots worker 0's first sample at active ÷ capacity and (active + inactive) ÷ capacity", () => {
    const first = result.planner.kv_utilisation.find((k) => k.worker_id === 0);
    if (first === undefined) throw new Error("fixture lacks worker 0");
    const active = first.active_blocks / first.capacity_blocks;
    const used = (first.active_blocks + first.inactive_blocks) / first.capacity_blocks;
    const axis = yAxisTicks(section);
    // Worker 0 takes the first palette colour.
    const worker0 = svgPaths(section).filter((p) => p.stroke === "#0072b2" && !p.transformed);
    const solid = worker0.find((p) => !p.dashed);
    const dashed = worker0.find((p) => p.dashed);
    const y = (d: string | undefined): number => ((pathPieces(d ?? "")[0] ?? [])[0] ?? [0, Number.NaN])[1];
    expect(Math.abs(y(solid?.d) - pixelOf(axis, active))).toBeLessThan(1.5);
    expect(Math.abs(y(dashed?.d) - pixelOf(axis, used))).toBeLessThan(1.5);
  });
});

describe.each(["agg", "disagg"] as const)("many workers: heat strips (%s fixture)", (name) => {
  const result = loadReportFixture(name);
  const section = sectionHtml(renderPlannerReportHtml(result), "panel-kv-utilisation");

  it("labels one row per worker, prefill before decode, by worker id", () => {
    const keys = [...new Set(result.planner.kv_utilisation.map((k) => `${k.component}|${k.worker_id}`))];
    const order = { prefill: 0, decode: 1, agg: 2 } as const;
    const expected = keys
      .map((k) => k.split("|") as [keyof typeof order, string])
      .sort((a, b) => order[a[0]] - order[b[0]] || Number(a[1]) - Number(b[1]))
      .map(([c, id]) => (c === "agg" ? `worker ${id}` : `${c} ${id}`));
    expect(expected.length).toBeGreaterThan(6);
    const rowLabels = svgTexts(section)
      .map((t) => t.text)
      .filter((t) => /^(worker|prefill|decode) \d+$/.test(t));
    // Both strips label every row, top to bottom.
    expect(rowLabels).toEqual([...expected, ...expected]);
    expect(section).toContain("wide");
  });

  it("fills one cell per sample in each strip (every sample time is its own column here)", () => {
    const cells = svgPaths(section).filter((p) => p.fill?.startsWith("rgb(") && !p.transformed);
    const samples = result.planner.kv_utilisation.filter((k) => k.capacity_blocks > 0).length;
    expect(cells).toHaveLength(2 * samples);
  });
});
