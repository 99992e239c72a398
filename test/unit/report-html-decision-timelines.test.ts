// Decision timelines (docs/planner-in-the-loop.md#html-report, row 6): one marker per tick and track,
// coloured by reason in the recorder's vocabulary — load reasons as squares, throughput reasons as diamonds —
// on two tracks (prefill above decode) when per-component reasons exist, one aggregate track otherwise; the
// legend lists the reasons that occur.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import type { TickSnapshotJson } from "../../src/report/planner-result.js";
import {
  loadReportFixture,
  type ReportFixtureName,
  sectionHtml,
  svgPaths,
  svgTexts,
} from "../support/report-kit.js";

/** The upstream recorder's colour vocabulary, copied from its definition. */
const LOAD_COLOURS: Readonly<Record<string, string>> = {
  scale_up: "green",
  scale_down: "blue",
  scale_down_capped_by_throughput: "purple",
  no_change: "gray",
  disabled: "lightgray",
  no_fpm_data: "yellow",
  scaling_in_progress: "orange",
  worker_count_mismatch: "red",
  insufficient_data: "pink",
};
const THROUGHPUT_COLOURS: Readonly<Record<string, string>> = {
  scale: "green",
  set_lower_bound: "blue",
  disabled: "lightgray",
  no_traffic_data: "yellow",
  predict_failed: "red",
  model_not_ready: "orange",
  partner_not_ready: "pink",
};

type ReasonPick = (t: TickSnapshotJson) => string | null;

/** Tracks as the upstream recorder draws them: per-component when any per-component reason exists. */
function tracks(ticks: readonly TickSnapshotJson[], kind: "load" | "throughput"): ReasonPick[] {
  const prefill: ReasonPick = (t) =>
    kind === "load" ? t.load_decision_reason_prefill : t.throughput_decision_reason_prefill;
  const decode: ReasonPick = (t) =>
    kind === "load" ? t.load_decision_reason_decode : t.throughput_decision_reason_decode;
  const aggregate: ReasonPick = (t) =>
    kind === "load" ? t.load_decision_reason : t.throughput_decision_reason;
  return ticks.some((t) => prefill(t) !== null || decode(t) !== null) ? [prefill, decode] : [aggregate];
}

/** Markers expected per colour: a count over ticks × tracks. */
function expectedByColour(
  ticks: readonly TickSnapshotJson[],
  kind: "load" | "throughput",
): Map<string, number> {
  const colours = kind === "load" ? LOAD_COLOURS : THROUGHPUT_COLOURS;
  const out = new Map<string, number>();
  for (const pick of tracks(ticks, kind)) {
    for (const t of ticks) {
      const r = pick(t);
      if (r === null) continue;
      const colour = colours[r] ?? "gray";
      out.set(colour, (out.get(colour) ?? 0) + 1);
    }
  }
  return out;
}

/** Vertices of a marker outline ("M…L…Z" absolute or "M…l…Z" relative). */
function outline(d: string): [number, number][] {
  const points: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (const m of d.matchAll(/([MLml])\s*([-\d.e]+)[ ,]([-\d.e]+)/g)) {
    const dx = Number(m[2]);
    const dy = Number(m[3]);
    const relative = m[1] === "l" || m[1] === "m";
    x = relative ? x + dx : dx;
    y = relative ? y + dy : dy;
    points.push([x, y]);
  }
  return points;
}

/** A square has 2 distinct x and 2 distinct y vertex coordinates; a diamond (a square on its corner) 3 and 3. */
function shape(d: string): "square" | "diamond" | "other" {
  const points = outline(d);
  const xs = new Set(points.map((p) => p[0])).size;
  const ys = new Set(points.map((p) => p[1])).size;
  if (points.length === 4 && xs === 2 && ys === 2) return "square";
  if (points.length === 4 && xs === 3 && ys === 3) return "diamond";
  return "other";
}

describe.each(["agg", "disagg"] as const)("decision timelines (%s fixture)", (name: ReportFixtureName) => {
  const result = loadReportFixture(name);
  const html = renderPlannerReportHtml(result);
  const ticks = result.planner.diagnostics;

  it.each(["load", "throughput"] as const)("%s: one marker per decision, in the reason's colour", (kind) => {
    const section = sectionHtml(
      html,
      kind === "load" ? "panel-load-decisions" : "panel-throughput-decisions",
    );
    const markers = svgPaths(section).filter((p) => p.markerAt !== null);
    const counted = new Map<string, number>();
    for (const m of markers) counted.set(m.fill ?? "", (counted.get(m.fill ?? "") ?? 0) + 1);
    expect(counted).toEqual(expectedByColour(ticks, kind));
    const wanted = kind === "load" ? "square" : "diamond";
    for (const m of markers) expect(shape(m.d)).toBe(wanted);
  });

  it("draws the recorder's tracks: prefill above decode in disagg, one agg track otherwise", () => {
    const section = sectionHtml(html, "panel-load-decisions");
    const labels = svgTexts(section).filter((t) => t.anchor === "end" && t.y !== null);
    const names = labels.map((t) => t.text);
    if (name === "disagg") {
      const prefill = labels.find((t) => t.text === "prefill");
      const decode = labels.find((t) => t.text === "decode");
      expect(prefill?.y).toBeLessThan(decode?.y as number);
    } else {
      expect(names).toContain("agg");
      expect(names).not.toContain("prefill");
    }
  });

  it("lists exactly the reasons that occur in the legend, with their decision counts", () => {
    const section = sectionHtml(html, "panel-load-decisions");
    const counts = new Map<string, number>();
    for (const pick of tracks(ticks, "load")) {
      for (const t of ticks) {
        const r = pick(t);
        if (r !== null) counts.set(r, (counts.get(r) ?? 0) + 1);
      }
    }
    const legend = svgTexts(section)
      .map((t) => t.text)
      .filter((t) => /^[a-z_]+ \(\d+\)$/.test(t));
    expect(legend.sort()).toEqual([...counts].map(([r, n]) => `${r} (${n})`).sort());
  });
});
