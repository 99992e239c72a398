import * as echarts from "echarts";
import type { LatencyMetric, ReportKey } from "../summary.js";
import { KV_TIER_TABLE_COLUMNS } from "./kv-tier-table.js";
import { type CapacityAnswer, type CapacityQuestion, describeQuestion } from "./question.js";
import { type RowLatencyStat, rowLatencyKey, rowMetric, type rowMetricIndex } from "./row-keys.js";
import type { SweepRow } from "./sweep-row.js";

/**
 * The sweep's HTML page: one self-contained file (inline CSS and SVG, no scripts, no network) with the
 * capacity answer, charts of the latencies the question bounds and of the GPU count per point (server-side
 * rendered echarts SVG; the cheapest point meeting the question highlighted, failing points greyed, the bounds
 * drawn as lines), the table of every point, and a legend from config labels to the values they stand for.
 *
 * A pure function of its input: the same rows give the same bytes (no dates, no wall times), so a merged
 * sweep's page equals the one-process page.
 */

export interface SweepHtmlInput {
  readonly title: string | null;
  readonly rows: readonly SweepRow[];
  readonly question: CapacityQuestion | null;
  readonly answer: CapacityAnswer<SweepRow> | null;
  /** Points in the whole grid (a slice's page says how many it holds). */
  readonly totalPoints: number;
  readonly shard: { readonly index: number; readonly count: number };
  /** The grid has a host or disk KV tier: the table gets the KV-tier columns (kv-tier-table.ts). */
  readonly withKvTiers?: boolean;
}

const COLOR = { pass: "#3b82c4", fail: "#b8bec6", cheapest: "#e8590c", neutral: "#3b82c4", bound: "#c92a2a" };
const CHART_WIDTH = 1100;
const CHART_HEIGHT = 320;

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A figure for the page; null is a statistic without samples (e.g. ITL when every request emits one token). */
function fmt(value: number | null, digits = 1): string {
  if (value === null) return "N/A";
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const metric = (row: SweepRow, key: Parameters<typeof rowMetricIndex>[0]): number | null =>
  rowMetric(row.metrics, key);

function barColor(row: SweepRow, cheapest: number | null): string {
  if (row.index === cheapest) return COLOR.cheapest;
  if (row.slaPass === false) return COLOR.fail;
  return row.slaPass === true ? COLOR.pass : COLOR.neutral;
}

/**
 * zrender names its CSS classes `zr<instance>-cls-<n>` from process-wide counters, so the same chart rendered
 * later in a process gets other names. Renumber them by first appearance under a per-page chart prefix: the
 * page's bytes then depend only on its input, and two charts' classes never collide (inline SVG styles are
 * document-wide).
 */
function stableClassNames(svg: string, chartIndex: number): string {
  const names = new Map<string, string>();
  return svg.replace(/zr\d+-cls-\d+/g, (name) => {
    let renamed = names.get(name);
    if (renamed === undefined) {
      renamed = `c${chartIndex}-${names.size}`;
      names.set(name, renamed);
    }
    return renamed;
  });
}

/** One bar chart per point, rendered to an SVG string. */
function barChart(
  chartIndex: number,
  title: string,
  unit: string,
  rows: readonly SweepRow[],
  value: (row: SweepRow) => number | null,
  bound: number | null,
  cheapest: number | null,
): string {
  const chart = echarts.init(null, null, {
    renderer: "svg",
    ssr: true,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
  });
  try {
    const many = rows.length > 40;
    // A log scale when values span two or more decades, so a passing point's bar is not a hairline next to
    // an overloaded one's (log axes need every value > 0).
    const values = rows.map(value);
    let low = Number.POSITIVE_INFINITY;
    let high = 0;
    for (const v of values) {
      if (v === null) continue; // no sample: no bar
      if (v < low) low = v;
      if (v > high) high = v;
    }
    const log = low > 0 && high / low >= 100;
    chart.setOption({
      animation: false,
      title: { text: title, left: "center", textStyle: { fontSize: 14 } },
      grid: { left: 70, right: 30, top: 40, bottom: many ? 40 : 110 },
      xAxis: {
        type: "category",
        data: rows.map((r) => r.id),
        axisLabel: many ? { show: false } : { rotate: 45, interval: 0, fontSize: 10 },
      },
      yAxis: {
        type: log ? "log" : "value",
        name: log ? `${unit} (log scale)` : unit,
        nameTextStyle: { fontSize: 11 },
        // Keep the bound's line on the chart even when every bar is below it.
        ...(bound === null || !(bound > 0)
          ? {}
          : { max: (extent: { max: number }) => Math.max(extent.max, bound * 1.05) }),
      },
      series: [
        {
          type: "bar",
          data: rows.map((r, k) => ({ value: values[k], itemStyle: { color: barColor(r, cheapest) } })),
          ...(bound === null
            ? {}
            : {
                markLine: {
                  symbol: "none",
                  silent: true,
                  lineStyle: { color: COLOR.bound, type: "dashed" },
                  label: { formatter: `bound ${bound} ${unit}`, position: "insideEndTop" },
                  data: [{ yAxis: bound }],
                },
              }),
        },
      ],
    });
    return stableClassNames(chart.renderToSVGString(), chartIndex);
  } finally {
    chart.dispose();
  }
}

/** One latency chart: a row metric, its title, and the question's bound on it (null when none is asked). */
export interface LatencyChart {
  readonly title: string;
  readonly metricKey: ReportKey;
  readonly bound: number | null;
}

const METRIC_NAMES: Readonly<Record<LatencyMetric, string>> = {
  ttft: "TTFT",
  ttst: "TTST",
  tpot: "TPOT",
  itl: "ITL",
  e2e_latency: "E2E latency",
};
/** As the table's column headers name them (median is p50). */
const STAT_NAMES: Readonly<Record<RowLatencyStat, string>> = {
  mean: "mean",
  median: "p50",
  p90: "p90",
  p95: "p95",
  p99: "p99",
  max: "max",
};

function latencyChart(metric: LatencyMetric, stat: RowLatencyStat, bound: number | null): LatencyChart {
  return {
    title: `${METRIC_NAMES[metric]} ${STAT_NAMES[stat]} per point`,
    metricKey: rowLatencyKey(stat, metric),
    bound,
  };
}

/**
 * The latency charts, so the answer sits next to the figures it was judged on: TTFT and ITL always, at each
 * statistic the question bounds them by (p99 when it bounds them by none), then every other bound of the
 * question in its order. A bounded chart draws its bound as a line. Without a question: TTFT p99 and ITL p99.
 */
export function latencyCharts(question: CapacityQuestion | null): LatencyChart[] {
  const bounds = question?.bounds ?? [];
  const charts: LatencyChart[] = [];
  for (const metric of ["ttft", "itl"] as const) {
    const on = bounds.filter((b) => b.metric === metric);
    if (on.length === 0) charts.push(latencyChart(metric, "p99", null));
    for (const b of on) charts.push(latencyChart(b.metric, b.stat, b.maxMs));
  }
  for (const b of bounds) {
    if (b.metric !== "ttft" && b.metric !== "itl") charts.push(latencyChart(b.metric, b.stat, b.maxMs));
  }
  return charts;
}

function answerHtml(input: SweepHtmlInput): string {
  const { answer, question } = input;
  if (question === null)
    return "<p>No capacity question was asked (add <code>question:</code> to the grid or pass <code>--sla</code>).</p>";
  const asked = `<p class="q">Question: the cheapest configuration with ${escapeHtml(describeQuestion(question))}.</p>`;
  if (answer === null)
    return `${asked}<p>This page holds one slice; run <code>kvsim merge</code> for the answer.</p>`;
  if (answer.kind === "cheapest") {
    const r = answer.row;
    return `${asked}<p class="answer">Answer: <b>${escapeHtml(r.id)}</b> — ${escapeHtml(shapeText(r))}, ${r.gpuCount} GPU(s), TTFT p99 ${fmt(metric(r, "p99_ttft_ms"))} ms, ITL p99 ${fmt(metric(r, "p99_itl_ms"), 2)} ms (${answer.passing} of ${answer.total} points pass).</p>`;
  }
  const closest = answer.closest === null ? "" : ` Closest: <b>${escapeHtml(answer.closest.id)}</b>.`;
  return `${asked}<p class="answer none">No point meets the question (0 of ${answer.total}).${closest}</p>`;
}

function shapeText(r: SweepRow): string {
  return r.mode === "agg"
    ? `${r.numWorkers} aggregated worker(s)`
    : `${r.numPrefillWorkers} prefill + ${r.numDecodeWorkers} decode worker(s)`;
}

const TABLE_COLUMNS: readonly [string, (r: SweepRow) => string][] = [
  ["#", (r) => String(r.index)],
  ["id", (r) => escapeHtml(r.id)],
  ["trace", (r) => escapeHtml(r.trace)],
  ["cluster", (r) => escapeHtml(shapeText(r))],
  ["router", (r) => escapeHtml(`${r.routerMode} / ${r.routerConfig}`)],
  [
    "engine args",
    (r) =>
      escapeHtml(
        r.mode === "agg"
          ? r.engineArgs
          : `${r.engineArgs} (P: ${r.prefillEngineArgs}, D: ${r.decodeEngineArgs})`,
      ),
  ],
  ["planner", (r) => escapeHtml(r.plannerConfig ?? "–")],
  ["speedup", (r) => fmt(r.arrivalSpeedupRatio, 3)],
  ["concurrency", (r) => (r.concurrency === null ? "open" : String(r.concurrency))],
  ["seed", (r) => String(r.seed)],
  ["GPUs", (r) => String(r.gpuCount)],
  ["GPU-h", (r) => fmt(r.gpuHours, 3)],
  ["TTFT p50 ms", (r) => fmt(metric(r, "median_ttft_ms"))],
  ["TTFT p99 ms", (r) => fmt(metric(r, "p99_ttft_ms"))],
  ["ITL p50 ms", (r) => fmt(metric(r, "median_itl_ms"), 2)],
  ["ITL p99 ms", (r) => fmt(metric(r, "p99_itl_ms"), 2)],
  ["E2E p99 ms", (r) => fmt(metric(r, "p99_e2e_latency_ms"))],
  ["output tok/s", (r) => fmt(metric(r, "output_throughput_tok_s"))],
  ["prefix reuse", (r) => fmt(metric(r, "prefix_cache_reused_ratio"), 3)],
  ["meets SLA", (r) => (r.slaPass === null ? "–" : r.slaPass ? "yes" : "no")],
];

/** The table's columns: the KV-tier ones go before the verdict, only when the grid has a tier. */
function tableColumns(withKvTiers: boolean): readonly [string, (r: SweepRow) => string][] {
  if (!withKvTiers) return TABLE_COLUMNS;
  const tiers = KV_TIER_TABLE_COLUMNS.map((c): [string, (r: SweepRow) => string] => [
    c.header,
    (r) => fmt(c.value(r), c.digits),
  ]);
  return [...TABLE_COLUMNS.slice(0, -1), ...tiers, ...TABLE_COLUMNS.slice(-1)];
}

function tableHtml(rows: readonly SweepRow[], cheapest: number | null, withKvTiers: boolean): string {
  const columns = tableColumns(withKvTiers);
  const head = columns.map(([name]) => `<th>${escapeHtml(name)}</th>`).join("");
  const body = rows
    .map((r) => {
      const cls = r.index === cheapest ? ' class="cheapest"' : r.slaPass === false ? ' class="fail"' : "";
      return `<tr${cls}>${columns.map(([, cell]) => `<td>${cell(r)}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Label → value of every config axis the rows use, from their config objects. */
function legendHtml(rows: readonly SweepRow[]): string {
  const seen = new Map<string, string>();
  for (const r of rows) {
    for (const axis of [
      "router_config",
      "engine_args",
      "prefill_engine_args",
      "decode_engine_args",
      "planner_config",
    ]) {
      const entry = r.config[axis] as { label?: unknown; value?: unknown } | null | undefined;
      if (entry === null || entry === undefined || typeof entry.label !== "string") continue;
      const key = `${axis}: ${entry.label}`;
      if (!seen.has(key)) seen.set(key, JSON.stringify(entry.value ?? {}));
    }
  }
  if (seen.size === 0) return "";
  const items = [...seen].map(([k, v]) => `<li><b>${escapeHtml(k)}</b> = <code>${escapeHtml(v)}</code></li>`);
  return `<h2>Config labels</h2><ul class="legend">${items.join("")}</ul>`;
}

const CSS = `body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#212529}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.answer{font-size:15px;padding:8px 12px;background:#fff4e6;border-left:4px solid ${COLOR.cheapest}}
.answer.none{background:#f1f3f5;border-left-color:#868e96}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #dee2e6;padding:3px 6px;text-align:right}
th{background:#f1f3f5}:is(td,th):is(:nth-child(2),:nth-child(3),:nth-child(4),:nth-child(5),:nth-child(6)){text-align:left}
tr.cheapest td{background:#ffe8cc;font-weight:600}tr.fail td{color:#868e96}
.legend{font-size:12px}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}`;

export function renderSweepHtml(input: SweepHtmlInput): string {
  const rows = input.rows;
  const cheapest = input.answer?.kind === "cheapest" ? input.answer.row.index : null;
  const title = input.title ?? "kvsim capacity sweep";
  const slice =
    input.shard.count > 1
      ? ` — slice ${input.shard.index}/${input.shard.count} (${rows.length} of ${input.totalPoints} points)`
      : ` — ${rows.length} points`;
  const latency = latencyCharts(input.question);
  const charts =
    rows.length === 0
      ? "<p>No points.</p>"
      : [
          ...latency.map((c, k) =>
            barChart(k, c.title, "ms", rows, (r) => metric(r, c.metricKey), c.bound, cheapest),
          ),
          barChart(latency.length, "GPUs per point", "GPUs", rows, (r) => r.gpuCount, null, cheapest),
        ].join("\n");
  const key = `<p class="key"><span style="background:${COLOR.cheapest}"></span>cheapest meeting the question<span style="background:${COLOR.pass}"></span>meets it / no question<span style="background:${COLOR.fail}"></span>fails it</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(title)}${escapeHtml(slice)}</h1>
${answerHtml(input)}
${key}
${charts}
<h2>Points</h2>
${tableHtml(rows, cheapest, input.withKvTiers === true)}
${legendHtml(rows)}
</body></html>
`;
}
