// Every panel of the report is present in page order, with its heading, a chart whose axes are named with units,
// and a legend naming its series (the upstream recorder's titles, docs/planner-in-the-loop.md#html-report;
// kvsim's additions after them).

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import {
  expectedPanelsOf,
  loadReportFixture,
  type ReportFixtureName,
  sectionHtml,
  svgTexts,
} from "../support/report-kit.js";

/** Axis names each panel must show (units in parentheses), independent of the data. */
const AXIS_NAMES: Readonly<Record<string, readonly string[]>> = {
  "panel-replica-counts": ["simulated time (hh:mm:ss)", "replicas (workers)"],
  "panel-request-rate": ["simulated time (hh:mm:ss)", "request rate (req/s)"],
  "panel-observed-ttft": ["simulated time (hh:mm:ss)", "TTFT (ms)"],
  "panel-observed-itl": ["simulated time (hh:mm:ss)", "ITL (ms)"],
  "panel-estimated-ttft": ["simulated time (hh:mm:ss)", "TTFT (ms)"],
  "panel-estimated-itl": ["simulated time (hh:mm:ss)", "ITL (ms)"],
  "panel-prefill-engine-load": ["simulated time (hh:mm:ss)", "queued prefill (tokens)"],
  "panel-decode-engine-load": ["simulated time (hh:mm:ss)", "decode KV (tokens)"],
  "panel-engine-capacity": ["simulated time (hh:mm:ss)", "capacity per engine (req/s)"],
  "panel-sequence-lengths": [
    "simulated time (hh:mm:ss)",
    "ISL (tokens per request)",
    "OSL (tokens per request)",
  ],
  "panel-load-decisions": ["simulated time (hh:mm:ss)", "component"],
  "panel-throughput-decisions": ["simulated time (hh:mm:ss)", "component"],
  "panel-kv-hit-rate": ["simulated time (hh:mm:ss)", "hit rate (fraction of input)"],
  "panel-effective-isl": ["simulated time (hh:mm:ss)", "ISL (tokens per request)"],
  "panel-ttft-cdf": ["TTFT (ms)", "cumulative fraction (CDF)"],
  "panel-itl-cdf": ["inter-token latency (ms)", "cumulative fraction (CDF)"],
  "panel-kv-utilisation": ["simulated time (hh:mm:ss)"],
  "panel-kv-tier-reuse": ["tier the hit came from", "share of prompt tokens"],
  "panel-kv-onboarding-cdf": ["onboarding time (ms)", "cumulative fraction (CDF)"],
};

/** The agg fixture's legends, KV capacity aside (the tiered run has 5,000 blocks × 64 tokens). */
const AGG_LEGENDS = {
  "panel-replica-counts": ["agg replicas", "scale-up event", "scale-down event"],
  "panel-request-rate": ["observed", "predicted"],
  "panel-observed-ttft": ["observed TTFT", "TTFT SLA 1,500 ms"],
  "panel-observed-itl": ["observed ITL", "ITL SLA 30 ms"],
  "panel-estimated-ttft": ["estimated TTFT", "TTFT SLA 1,500 ms"],
  "panel-estimated-itl": ["estimated ITL", "ITL SLA 30 ms"],
  "panel-sequence-lengths": ["observed ISL", "predicted ISL", "observed OSL", "predicted OSL"],
  "panel-kv-hit-rate": ["observed", "predicted", "applied by planner (sticky)"],
  "panel-effective-isl": ["raw ISL (observed)", "effective ISL"],
  "panel-ttft-cdf": ["per-request TTFT", "TTFT SLA 1,500 ms"],
  "panel-itl-cdf": ["per-request mean ITL", "pooled ITL (all gaps)", "ITL SLA 30 ms"],
} as const;

/** Legend entries expected for each fixture (series names; the SLA values are the fixtures' configs). */
const LEGENDS: Readonly<Record<ReportFixtureName, Readonly<Record<string, readonly string[]>>>> = {
  agg: { ...AGG_LEGENDS, "panel-decode-engine-load": ["KV Capacity 1,048,576 tokens"] },
  "agg-tiers": {
    ...AGG_LEGENDS,
    // The tiered run only scales up.
    "panel-replica-counts": ["agg replicas", "scale-up event"],
    "panel-decode-engine-load": ["KV Capacity 320,000 tokens"],
    "panel-kv-onboarding-cdf": ["per request"],
  },
  disagg: {
    "panel-replica-counts": ["prefill replicas", "decode replicas", "scale-up event", "scale-down event"],
    "panel-request-rate": ["observed", "predicted"],
    "panel-observed-ttft": ["observed TTFT", "TTFT SLA 1,000 ms"],
    "panel-observed-itl": ["observed ITL", "ITL SLA 25 ms"],
    "panel-estimated-ttft": ["estimated TTFT", "TTFT SLA 1,000 ms"],
    "panel-estimated-itl": ["estimated ITL", "ITL SLA 25 ms"],
    "panel-engine-capacity": ["prefill engine", "decode engine"],
    "panel-decode-engine-load": ["KV Capacity 1,048,576 tokens"],
    "panel-sequence-lengths": ["observed ISL", "predicted ISL", "observed OSL", "predicted OSL"],
    "panel-kv-hit-rate": ["observed", "predicted", "applied by planner (sticky)"],
    "panel-effective-isl": ["raw ISL (observed)", "effective ISL"],
    "panel-ttft-cdf": ["per-request TTFT", "TTFT SLA 1,000 ms"],
    "panel-itl-cdf": ["per-request mean ITL", "pooled ITL (all gaps)", "ITL SLA 25 ms"],
  },
};

/** The fixtures' planner configs: agg ttft 1500 / itl 30, disagg ttft 1000 / itl 25. */
const SLA_TARGETS: Readonly<Record<ReportFixtureName, string>> = {
  agg: "<dd>TTFT ≤ 1,500 ms · ITL ≤ 30 ms</dd>",
  disagg: "<dd>TTFT ≤ 1,000 ms · ITL ≤ 25 ms</dd>",
  "agg-tiers": "<dd>TTFT ≤ 1,500 ms · ITL ≤ 30 ms</dd>",
};

describe.each(["agg", "disagg", "agg-tiers"] as const)("report panels (%s fixture)", (name) => {
  const html = renderPlannerReportHtml(loadReportFixture(name));
  const EXPECTED_PANELS = expectedPanelsOf(name);

  it("has every panel, in page order, each a section with its h2 title and one chart SVG", () => {
    const ids = [...html.matchAll(/<section id="(panel-[^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(EXPECTED_PANELS.map(([id]) => id));
    for (const [id, title] of EXPECTED_PANELS) {
      const section = sectionHtml(html, id);
      const h2 = /<h2>([^<]*)<\/h2>/.exec(section)?.[1];
      expect(h2, id).toBe(title);
      expect(section.match(/<svg /g)?.length, id).toBe(1);
      expect(section, id).toContain(`aria-label="${title}"`);
    }
  });

  it("names every axis, with its unit", () => {
    for (const [id] of EXPECTED_PANELS) {
      const texts = svgTexts(sectionHtml(html, id)).map((t) => t.text);
      for (const axis of AXIS_NAMES[id] ?? []) expect(texts, `${id}: ${axis}`).toContain(axis);
    }
  });

  it("shows a legend with every series of multi-series panels", () => {
    for (const [id, entries] of Object.entries(LEGENDS[name])) {
      const texts = svgTexts(sectionHtml(html, id)).map((t) => t.text);
      for (const entry of entries) expect(texts, `${id}: ${entry}`).toContain(entry);
    }
  });

  it("opens with the recorder's title block: title, time range, ticks, transitions, GPU hours, SLA targets", () => {
    const header = html.slice(html.indexOf("<header"), html.indexOf("</header>"));
    const result = loadReportFixture(name);
    expect(header).toContain("<h1>Planner Diagnostics Report</h1>");
    for (const label of [
      "Simulated time range",
      "Ticks",
      "Replica transitions",
      "GPU hours",
      "SLA targets",
    ]) {
      expect(header).toContain(`<dt>${label}</dt>`);
    }
    expect(header).toContain(`<dd>${result.planner.ticks}</dd>`);
    expect(header).toContain(`<dd>${result.planner.replica_transitions}</dd>`);
    expect(header).toContain(SLA_TARGETS[name]);
  });
});
