import { describe, expect, it } from "vitest";
import { type SweepRow, withQuestion } from "../../src/parallel/sweep/row.js";
import type { CapacityQuestion } from "../../src/report/capacity/question.js";
import { answerCapacityQuestion, parseSlaFlag } from "../../src/report/capacity/question.js";
import { ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { latencyCharts, renderSweepHtml } from "../../src/report/capacity/sweep-html.js";

// The sweep page charts the statistic the question bounds, with the bound as a line, so the answer never sits
// next to a bar of another statistic. Values below are read back from the SVG's geometry.

function row(index: number, id: string, gpuCount: number, metrics: Record<string, number>): SweepRow {
  const values = new Float64Array(ROW_METRIC_KEYS.length).fill(1);
  for (const [key, v] of Object.entries(metrics)) values[ROW_METRIC_KEYS.indexOf(key as never)] = v;
  return {
    index,
    id,
    trace: "t",
    mode: "agg",
    numWorkers: gpuCount,
    numPrefillWorkers: null,
    numDecodeWorkers: null,
    routerMode: "kv",
    routerConfig: "default",
    engineArgs: "default",
    prefillEngineArgs: null,
    decodeEngineArgs: null,
    plannerConfig: null,
    arrivalSpeedupRatio: 1,
    concurrency: null,
    seed: 0,
    gpuCount,
    gpuHours: gpuCount,
    slaPass: null,
    metrics: values,
    plannerMetrics: null,
    kvTierMetrics: null,
    wallTimeMs: 1,
    config: {},
  };
}

// agg1 fails TTFT p95 (900 > 400) and TPOT p99 (50 > 40); agg2 passes both (350, 30) with 2 GPUs although its
// TTFT p99 (1500) is far above 400 — the chart of p99 would have put the answer next to a bar above the bound;
// agg4 passes with 4 GPUs.
const RAW = [
  row(0, "agg1", 1, { p95_ttft_ms: 900, p99_ttft_ms: 9000, p99_itl_ms: 40, p99_tpot_ms: 50 }),
  row(1, "agg2", 2, { p95_ttft_ms: 350, p99_ttft_ms: 1500, p99_itl_ms: 30, p99_tpot_ms: 30 }),
  row(2, "agg4", 4, { p95_ttft_ms: 200, p99_ttft_ms: 600, p99_itl_ms: 20, p99_tpot_ms: 20 }),
];

function page(question: CapacityQuestion | null): string {
  const rows = question === null ? RAW : RAW.map((r) => withQuestion(r, question));
  return renderSweepHtml({
    title: null,
    rows,
    question,
    answer: question === null ? null : answerCapacityQuestion(rows, question),
    totalPoints: rows.length,
    shard: { index: 0, count: 1 },
  });
}

interface ChartRead {
  readonly title: string;
  /** Bar values in point order, from bar heights and the y axis ticks. */
  readonly bars: number[];
  readonly barColors: string[];
  /** The dashed bound line's value, or null without one. */
  readonly bound: number | null;
  readonly boundLabel: string | null;
}

/** Reads every chart of a page back from its SVG: title, bars (value and colour), bound line. */
function readCharts(html: string): ChartRead[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map(([svg]) => {
    const title = /font-weight:bold;"[^>]*>([^<]*)<\/text>/.exec(svg)?.[1] ?? "";
    // y axis ticks: right-aligned 12px labels at x = 62.
    const ticks = [...svg.matchAll(/translate\(62 ([\d.]+)\)" fill="#54555a">([\d,.]+)<\/text>/g)].map(
      (m) => ({ y: Number(m[1]), value: Number((m[2] as string).replaceAll(",", "")) }),
    );
    const zero = ticks.find((t) => t.value === 0);
    const top = ticks[ticks.length - 1];
    if (zero === undefined || top === undefined) throw new Error(`${title}: no linear y axis`);
    const perPx = top.value / (zero.y - top.y);
    const bars = [
      ...svg.matchAll(/<path d="M[\d.]+ ([\d.]+)l[\d.]+ 0l0 -([\d.]+)l[^"]*" fill="(#[0-9a-f]{6})"/g),
    ];
    const line = /<path d="M[\d.]+ ([\d.]+)L[\d.]+ [\d.]+"[^>]*stroke="#c92a2a"/.exec(svg);
    return {
      title,
      bars: bars.map((m) => Number(m[2]) * perPx),
      barColors: bars.map((m) => m[3] as string),
      bound: line === null ? null : (zero.y - Number(line[1])) * perPx,
      boundLabel: /(bound [\d.]+ ms)<\/text>/.exec(svg)?.[1] ?? null,
    };
  });
}

/** Within the SVG's 0.1 px rounding (and the bound line's half-pixel snap). */
function expectNear(actual: readonly number[], expected: readonly number[], scaleMs: number): void {
  expect(actual).toHaveLength(expected.length);
  for (const [k, a] of actual.entries())
    expect(Math.abs(a - (expected[k] as number))).toBeLessThan(scaleMs / 150);
}

describe("sweep page charts follow the capacity question", () => {
  it("asked TTFT p95 ≤ 400 and TPOT p99 ≤ 40: charts TTFT p95, ITL p99, TPOT p99 and GPUs", () => {
    const charts = readCharts(page(parseSlaFlag("ttft_p95_ms=400,tpot_p99_ms=40")));
    expect(charts.map((c) => c.title)).toEqual([
      "TTFT p95 per point",
      "ITL p99 per point",
      "TPOT p99 per point",
      "GPUs per point",
    ]);
    const [ttft, itl, tpot, gpus] = charts as [ChartRead, ChartRead, ChartRead, ChartRead];
    expectNear(ttft.bars, [900, 350, 200], 900);
    expect(ttft.boundLabel).toBe("bound 400 ms");
    expectNear([ttft.bound as number], [400], 900);
    // The answer (agg2, orange) is below the line it was judged by; agg1 (grey) fails.
    expect(ttft.barColors).toEqual(["#b8bec6", "#e8590c", "#3b82c4"]);
    expectNear(itl.bars, [40, 30, 20], 40);
    expect([itl.bound, itl.boundLabel]).toEqual([null, null]);
    expectNear(tpot.bars, [50, 30, 20], 50);
    expect(tpot.boundLabel).toBe("bound 40 ms");
    expectNear([tpot.bound as number], [40], 50);
    expectNear(gpus.bars, [1, 2, 4], 4);
  });

  it("without a question: today's TTFT p99, ITL p99 and GPUs charts, no bound", () => {
    const charts = readCharts(page(null));
    expect(charts.map((c) => c.title)).toEqual(["TTFT p99 per point", "ITL p99 per point", "GPUs per point"]);
    expectNear((charts[0] as ChartRead).bars, [9000, 1500, 600], 9000);
    expect(charts.map((c) => c.bound)).toEqual([null, null, null]);
  });

  it("orders charts: TTFT then ITL at each bounded statistic (p99 if none), then the other bounds as asked", () => {
    const charts = latencyCharts(parseSlaFlag("e2e_latency_mean_ms=5000,ttft_p50_ms=300,ttft_p99_ms=900"));
    expect(charts).toEqual([
      { title: "TTFT p50 per point", metricKey: "median_ttft_ms", bound: 300 },
      { title: "TTFT p99 per point", metricKey: "p99_ttft_ms", bound: 900 },
      { title: "ITL p99 per point", metricKey: "p99_itl_ms", bound: null },
      { title: "E2E latency mean per point", metricKey: "mean_e2e_latency_ms", bound: 5000 },
    ]);
  });
});
