// The summary tables under the title block: the run, capacity and cost, SLA attainment and the key latency and
// throughput figures of the flat replay report (docs/replay.md#the-report keys), plus the planner
// configuration as used.

import type { ReportContext } from "./context.js";
import { escapeHtml } from "./escape.js";
import { formatDuration, formatFixed, formatNumber, formatPercent } from "./format.js";
import { awarenessOn } from "./panels-kv.js";

type Row = readonly [label: string, value: string];

function table(caption: string, rows: readonly Row[]): string {
  const body = rows
    .map(
      ([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join("\n");
  return `<table class="kv">\n<caption>${escapeHtml(caption)}</caption>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function configText(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/** A flat-report figure with its unit; "N/A" for a statistic without samples (null), "—" when the key is absent. */
function reportValue(ctx: ReportContext, key: string, unit: string): string {
  const v = ctx.result.report[key];
  if (v === null) return "N/A";
  return v === undefined || !Number.isFinite(v) ? "—" : `${formatNumber(v)}${unit === "" ? "" : ` ${unit}`}`;
}

/** A count or time the report always holds (null only in a hand-edited file). */
function reportNumber(ctx: ReportContext, key: string): number | undefined {
  return ctx.result.report[key] ?? undefined;
}

function pair(ctx: ReportContext, p50Key: string, p99Key: string, unit: string): string {
  return `${reportValue(ctx, p50Key, unit)} / ${reportValue(ctx, p99Key, unit)}`;
}

function runRows(ctx: ReportContext): Row[] {
  const p = ctx.planner;
  const aware = awarenessOn(ctx);
  const durationMs = reportNumber(ctx, "duration_ms");
  const completed = reportNumber(ctx, "completed_requests");
  const total = reportNumber(ctx, "num_requests");
  return [
    ["Trace", p.trace_name],
    ["Mode", p.mode],
    ["Optimization target", configText(p.config.optimization_target)],
    ["Load predictor", configText(p.config.load_predictor)],
    ["KV-hit-rate awareness", aware === null ? "—" : aware ? "on" : "off"],
    ["Simulated duration", durationMs === undefined ? "—" : formatDuration(durationMs / 1000)],
    ["Planner ticks", formatFixed(p.ticks, 0)],
    [
      "Requests completed",
      completed === undefined || total === undefined
        ? "—"
        : `${formatFixed(completed, 0)} of ${formatFixed(total, 0)}`,
    ],
  ];
}

function capacityRows(ctx: ReportContext): Row[] {
  const p = ctx.planner;
  const ups = p.scaling_events.filter((e) => e.reason === "scale_up").length;
  const gpu = p.gpu_hours;
  const exact = ctx.disagg
    ? `${formatNumber(gpu.total)} (prefill ${formatNumber(gpu.prefill)}, decode ${formatNumber(gpu.decode)})`
    : formatNumber(gpu.total);
  return [
    ["GPU-hours (exact)", exact],
    ["GPU-hours (tick-sampled)", formatNumber(p.gpu_hours_tick_sampled)],
    ["Replica transitions", formatFixed(p.replica_transitions, 0)],
    ["Scaling events", `${ups} up, ${p.scaling_events.length - ups} down`],
  ];
}

function slaRows(ctx: ReportContext): Row[] {
  const s = ctx.planner.sla_attainment;
  return [
    [
      `TTFT ≤ ${formatNumber(s.ttft_sla_ms)} ms`,
      `${formatPercent(s.ttft_fraction)} of ${formatFixed(s.ttft_requests, 0)} requests`,
    ],
    [
      `mean ITL ≤ ${formatNumber(s.itl_sla_ms)} ms`,
      `${formatPercent(s.itl_fraction)} of ${formatFixed(s.itl_requests, 0)} requests`,
    ],
    ["TTFT p50 / p99", pair(ctx, "median_ttft_ms", "p99_ttft_ms", "ms")],
    ["ITL p50 / p99", pair(ctx, "median_itl_ms", "p99_itl_ms", "ms")],
    ["TPOT p50 / p99", pair(ctx, "median_tpot_ms", "p99_tpot_ms", "ms")],
    ["E2E latency p50 / p99", pair(ctx, "median_e2e_latency_ms", "p99_e2e_latency_ms", "ms")],
    ["Request throughput", reportValue(ctx, "request_throughput_rps", "req/s")],
    ["Output throughput", reportValue(ctx, "output_throughput_tok_s", "tokens/s")],
    ["Prefix-cache reuse", formatPercent(ctx.result.report.prefix_cache_reused_ratio)],
    ...tierRows(ctx),
  ];
}

/** With host or disk KV tiers: the reuse per tier and the onboarding time (docs/replay.md#kv-tiers). */
function tierRows(ctx: ReportContext): Row[] {
  const t = ctx.result.kv_tiers;
  if (t === undefined) return [];
  const o = t.onboarding;
  return [
    [
      "Reuse by tier: GPU / host / disk",
      [t.reused_ratio_g1, t.reused_ratio_g2, t.reused_ratio_g3].map(formatPercent).join(" / "),
    ],
    [
      "KV onboarding p50 / p99",
      o.requests === 0
        ? "no request onboarded"
        : `${formatNumber(o.p50_ms)} / ${formatNumber(o.p99_ms)} ms (${formatFixed(o.requests, 0)} requests)`,
    ],
  ];
}

function replicaTable(ctx: ReportContext): string {
  const order = ["prefill", "decode", "agg"];
  const names = Object.keys(ctx.planner.replicas).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia !== ib) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const rows = names.map((name) => {
    const r = ctx.planner.replicas[name];
    if (r === undefined) return "";
    const cells = [r.initial, r.peak, r.time_weighted_mean, r.final].map(
      (v, i) => `<td>${escapeHtml(i === 2 ? formatFixed(v, 2) : formatFixed(v, 0))}</td>`,
    );
    return `<tr><th scope="row">${escapeHtml(name)}</th>${cells.join("")}</tr>`;
  });
  return [
    '<table class="grid">',
    "<caption>Replicas per component</caption>",
    '<thead><tr><th scope="col">component</th><th scope="col">initial</th><th scope="col">peak</th><th scope="col">time-weighted mean</th><th scope="col">final</th></tr></thead>',
    `<tbody>\n${rows.join("\n")}\n</tbody>`,
    "</table>",
  ].join("\n");
}

export function renderSummarySection(ctx: ReportContext): string {
  return [
    '<section id="summary" class="summary">',
    "<h2>Summary</h2>",
    '<div class="summary-grid">',
    table("Run", runRows(ctx)),
    `<div>\n${table("Capacity and cost", capacityRows(ctx))}\n${replicaTable(ctx)}\n</div>`,
    table("SLA attainment and latency", slaRows(ctx)),
    "</div>",
    "</section>",
  ].join("\n");
}

export function renderConfigSection(ctx: ReportContext): string {
  const entries = Object.entries(ctx.planner.config);
  const rows = entries
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(configText(v))}</td></tr>`)
    .join("\n");
  return [
    '<section id="config" class="config">',
    `<details open>\n<summary>Planner configuration as used (${entries.length} settings)</summary>`,
    `<table class="kv">\n<tbody>\n${rows}\n</tbody>\n</table>`,
    "</details>",
    "</section>",
  ].join("\n");
}
