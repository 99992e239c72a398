// The planner diagnostics report: one self-contained HTML file (inline CSS, inline static SVG charts, no script,
// no external URL) rendered from a planner-in-the-loop result. A pure function of its input: the same result
// gives byte-identical HTML (no generation time, no random ids).
//
// Layout: title block (docs/planner-in-the-loop.md#html-report: time range, ticks, replica transitions, GPU
// hours, SLA targets), summary tables, then a two-column grid of panels — the upstream recorder's twelve
// charts in its order followed by kvsim's additions (KV hit rate, raw vs effective ISL, TTFT and ITL CDFs,
// per-worker KV-cache utilisation; with host or disk KV tiers, reuse per tier and the onboarding-time CDF) — and
// the planner configuration as used.

import type { PlannerReplayResultJson } from "../planner-result.js";
import { buildContext, type ReportContext, timeSpanS } from "./context.js";
import { escapeHtml } from "./escape.js";
import { formatDuration, formatNumber, formatSimTime } from "./format.js";
import { type Panel, panelSectionId, renderPanelSection } from "./panel.js";
import { itlCdfPanel, ttftCdfPanel } from "./panels-cdf.js";
import { loadDecisionsPanel, throughputDecisionsPanel } from "./panels-decisions.js";
import { decodeEngineLoadPanel, prefillEngineLoadPanel } from "./panels-engine-load.js";
import { effectiveIslPanel, kvHitRatePanel } from "./panels-kv.js";
import { kvTierPanels } from "./panels-kv-tiers.js";
import { kvUtilisationPanel } from "./panels-kv-utilisation.js";
import {
  estimatedItlPanel,
  estimatedTtftPanel,
  observedItlPanel,
  observedTtftPanel,
} from "./panels-latency.js";
import {
  engineCapacityPanel,
  replicaCountsPanel,
  requestRatePanel,
  sequenceLengthsPanel,
} from "./panels-traffic.js";
import { REPORT_CSS } from "./style.js";
import { renderConfigSection, renderSummarySection } from "./summary-table.js";

export const REPORT_TITLE = "Planner Diagnostics Report";

/** Panel builders in page order: the recorder's twelve (rows of two), then kvsim's additions. */
const PANEL_BUILDERS: readonly ((ctx: ReportContext) => Panel)[] = [
  replicaCountsPanel,
  requestRatePanel,
  observedTtftPanel,
  observedItlPanel,
  estimatedTtftPanel,
  estimatedItlPanel,
  prefillEngineLoadPanel,
  decodeEngineLoadPanel,
  engineCapacityPanel,
  sequenceLengthsPanel,
  loadDecisionsPanel,
  throughputDecisionsPanel,
  kvHitRatePanel,
  effectiveIslPanel,
  ttftCdfPanel,
  itlCdfPanel,
  kvUtilisationPanel,
];

function titleBlock(ctx: ReportContext): string {
  const p = ctx.planner;
  const span = timeSpanS(ctx);
  const range =
    span === null
      ? "no ticks"
      : `${formatSimTime(span.firstS)} – ${formatSimTime(span.lastS)} (${formatDuration(span.lastS - span.firstS)})`;
  const predictor =
    typeof p.config.load_predictor === "string" ? ` · predictor ${p.config.load_predictor}` : "";
  const items: [string, string][] = [
    ["Simulated time range", range],
    ["Ticks", String(p.ticks)],
    ["Replica transitions", String(p.replica_transitions)],
    [
      "GPU hours",
      `${formatNumber(p.gpu_hours.total)} exact · ${formatNumber(p.gpu_hours_tick_sampled)} tick-sampled`,
    ],
    ["SLA targets", `TTFT ≤ ${formatNumber(ctx.ttftSlaMs)} ms · ITL ≤ ${formatNumber(ctx.itlSlaMs)} ms`],
  ];
  const dl = items
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join("\n");
  return [
    '<header class="title-block">',
    `<h1>${REPORT_TITLE}</h1>`,
    `<p class="run">${escapeHtml(`Trace ${p.trace_name} · ${p.mode}${predictor}`)}</p>`,
    `<dl>\n${dl}\n</dl>`,
    "</header>",
  ].join("\n");
}

function contents(panels: readonly Panel[]): string {
  const links = [
    '<a href="#summary">Summary</a>',
    ...panels.map((p) => `<a href="#${panelSectionId(p.id)}">${escapeHtml(p.title)}</a>`),
    '<a href="#config">Configuration</a>',
  ];
  return `<nav class="contents" aria-label="Contents">\n${links.join("\n")}\n</nav>`;
}

/** The whole report as one HTML document. */
export function renderPlannerReportHtml(result: PlannerReplayResultJson): string {
  const ctx = buildContext(result);
  const panels = [...PANEL_BUILDERS.map((build) => build(ctx)), ...kvTierPanels(ctx)];
  const title = `${REPORT_TITLE} — ${ctx.planner.trace_name}`;
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    titleBlock(ctx),
    contents(panels),
    "<main>",
    renderSummarySection(ctx),
    '<div class="panels">',
    panels.map(renderPanelSection).join("\n"),
    "</div>",
    renderConfigSection(ctx),
    "</main>",
    "<footer>Rendered by kvsim from the planner-in-the-loop replay result. Charts are static SVG drawn at build time; times are simulated time.</footer>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
