import type { KvTiersSection } from "./kv-tiers.js";
import type { DistributionStat, LatencyMetric, ReplayReport } from "./summary.js";
import { latencyKey, perUserKey } from "./summary.js";

/**
 * The console summary in AIPerf's layout (docs/replay.md, the reference CLI's table): one row per metric,
 * columns avg | min | max | p99 | p90 | p50 | p75 | std, box-drawn; single-number metrics (throughputs,
 * counts) fill `avg` and show N/A elsewhere. Numbers have two decimals and comma thousands separators,
 * independent of the host locale. Wall-time fields are left out, so the table is the same on every run of the
 * same replay. With KV tiers (a kv_tiers section), rows for the reuse per tier and the onboarding follow the
 * prefix-cache row; the onboarding time shows the report's mean, p99 and p50 (N/A elsewhere).
 */

const COLUMNS = ["avg", "min", "max", "p99", "p90", "p50", "p75", "std"] as const;
const COLUMN_STAT: Record<(typeof COLUMNS)[number], DistributionStat> = {
  avg: "mean",
  min: "min",
  max: "max",
  p99: "p99",
  p90: "p90",
  p50: "median",
  p75: "p75",
  std: "std",
};

interface TableRow {
  /** The metric name, one entry per printed line (long names wrap like AIPerf's). */
  readonly label: readonly string[];
  /** One cell per column in COLUMNS order. */
  readonly cells: readonly string[];
}

/** 1234567.891 → "1,234,567.89" (`digits` decimals). Locale-independent, so output never varies by host. */
export function formatGrouped(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = Math.abs(value).toFixed(digits);
  const dot = fixed.indexOf(".");
  const whole = dot < 0 ? fixed : fixed.slice(0, dot);
  const frac = dot < 0 ? "" : fixed.slice(dot);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const negative = value < 0 && /[1-9]/.test(fixed);
  return `${negative ? "-" : ""}${grouped}${frac}`;
}

const LATENCY_ROWS: readonly (readonly [LatencyMetric, string])[] = [
  ["ttft", "Time to First Token (ms)"],
  ["ttst", "Time to Second Token (ms)"],
  ["tpot", "Time per Output Token (ms)"],
  ["itl", "Inter Token Latency (ms)"],
  ["e2e_latency", "Request Latency (ms)"],
];

/** A distribution's row; a statistic without samples (null) reads N/A, like the single-number rows' blanks. */
function distributionRow(
  label: readonly string[],
  value: (stat: DistributionStat) => number | null,
): TableRow {
  return {
    label,
    cells: COLUMNS.map((c) => {
      const v = value(COLUMN_STAT[c]);
      return v === null ? "N/A" : formatGrouped(v, 2);
    }),
  };
}

function singleRow(label: string, text: string): TableRow {
  return { label: [label], cells: COLUMNS.map((c) => (c === "avg" ? text : "N/A")) };
}

/** The kv_tiers rows: reuse from each tier (% of prompt tokens), onboarding time, requests and gigabytes moved. */
function kvTierRows(t: KvTiersSection): TableRow[] {
  const o = t.onboarding;
  const onboardStat: Partial<Record<DistributionStat, number | null>> = {
    mean: o.mean_ms,
    p99: o.p99_ms,
    median: o.p50_ms,
  };
  return [
    singleRow("Prefix Cache Reused, GPU G1 (%)", formatGrouped(t.reused_ratio_g1 * 100, 2)),
    singleRow("Prefix Cache Reused, Host G2 (%)", formatGrouped(t.reused_ratio_g2 * 100, 2)),
    singleRow("Prefix Cache Reused, Disk G3 (%)", formatGrouped(t.reused_ratio_g3 * 100, 2)),
    distributionRow(["KV Onboarding Time (ms)"], (stat) => onboardStat[stat] ?? null),
    singleRow("KV Onboarded Requests", formatGrouped(o.requests)),
    singleRow("KV Onboarded (GB)", formatGrouped(o.bytes / 1e9, 2)),
  ];
}

/** The table's rows for a report (and its kv_tiers section, if any), top to bottom. */
export function aiperfRows(report: ReplayReport, kvTiers: KvTiersSection | null = null): TableRow[] {
  const rows: TableRow[] = LATENCY_ROWS.map(([metric, label]) =>
    distributionRow([label], (stat) => report[latencyKey(stat, metric)]),
  );
  rows.push(
    distributionRow(
      ["Output Token Throughput Per User", "(tokens/sec/user)"],
      (stat) => report[perUserKey(stat)],
    ),
  );
  rows.push(
    singleRow("Output Token Throughput (tokens/sec)", formatGrouped(report.output_throughput_tok_s, 2)),
  );
  rows.push(
    singleRow("Total Token Throughput (tokens/sec)", formatGrouped(report.total_throughput_tok_s, 2)),
  );
  rows.push(singleRow("Request Throughput (requests/sec)", formatGrouped(report.request_throughput_rps, 2)));
  rows.push(singleRow("Request Count (completed)", formatGrouped(report.completed_requests)));
  rows.push(singleRow("Request Count (arrived)", formatGrouped(report.num_requests)));
  rows.push(singleRow("Prefix Cache Reused (%)", formatGrouped(report.prefix_cache_reused_ratio * 100, 2)));
  if (kvTiers !== null) rows.push(...kvTierRows(kvTiers));
  rows.push(singleRow("Simulated Duration (s)", formatGrouped(report.duration_ms / 1000, 2)));
  return rows;
}

/** The full table as text (ending with a newline), titled like AIPerf's "NVIDIA AIPerf | LLM Metrics". */
export function renderAiperfTable(
  report: ReplayReport,
  title = "kvsim | Replay Metrics",
  kvTiers: KvTiersSection | null = null,
): string {
  const rows = aiperfRows(report, kvTiers);
  const metricWidth = Math.max("Metric".length, ...rows.flatMap((r) => r.label.map((l) => l.length)));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => (r.cells[i] as string).length)));
  const all = [metricWidth, ...widths];
  const rule = (left: string, fill: string, mid: string, right: string): string =>
    `${left}${all.map((w) => fill.repeat(w + 2)).join(mid)}${right}`;
  const line = (edge: string, metric: string, cells: readonly string[]): string =>
    `${edge} ${metric.padEnd(metricWidth)} ${edge} ${cells.map((c, i) => c.padStart(widths[i] as number)).join(` ${edge} `)} ${edge}`;

  const out: string[] = [];
  const tableWidth = all.reduce((sum, w) => sum + w + 3, 1);
  out.push(title.padStart(Math.floor((tableWidth + title.length) / 2)));
  out.push(rule("┏", "━", "┳", "┓"));
  out.push(line("┃", "Metric", COLUMNS));
  out.push(rule("┡", "━", "╇", "┩"));
  for (const row of rows) {
    row.label.forEach((label, k) => {
      out.push(line("│", label, k === 0 ? row.cells : COLUMNS.map(() => "")));
    });
  }
  out.push(rule("└", "─", "┴", "┘"));
  return `${out.join("\n")}\n`;
}
