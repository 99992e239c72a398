import { describe, expect, it } from "vitest";
import { expandSweepGrid } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { SweepReplyTag } from "../../src/parallel/sweep/protocol.js";
import { buildSweepRow, rowsToCsv, rowsToJsonl } from "../../src/parallel/sweep/row.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { renderAiperfTable } from "../../src/report/aiperf-table.js";
import { makeQuestion, meetsQuestion, worstBoundRatio } from "../../src/report/capacity/question.js";
import { ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import { LATENCY_METRICS, latencyKey, REPORT_KEYS, reportToJson } from "../../src/report/summary.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { buildReplaySyntheticTrace } from "../../src/trace/synth/replay-synthetic.js";
import { InputError } from "../../src/util/errors.js";
import { loadReportFixture, mutableCopy, sectionHtml } from "../support/report-kit.js";

// docs/replay.md#the-report: a distribution with no sample reports null (JSON), N/A (tables), NaN in a sweep row's
// Float64 slot (null in JSONL, an empty CSV cell) — never 0. With OSL 1 every request emits one token, so TTST,
// TPOT, ITL and the per-user rate have no sample, while TTFT and E2E have one per request.
const STATS = ["mean", "min", "max", "median", "p75", "p90", "p95", "p99", "std"] as const;
const EMPTY_METRICS = ["ttst", "tpot", "itl"] as const;

const trace = buildReplaySyntheticTrace({
  inputTokens: 100,
  outputTokens: 1,
  requestCount: 5,
  arrivalIntervalMs: 10,
  blockSize: 512,
});
const report = runReplay(trace, resolveClusterOptions({}, trace.traceBlockSize)).report;

describe("metrics with no samples", () => {
  it("are null in the report and the JSON; TTFT and E2E keep their numbers", () => {
    const json = JSON.parse(reportToJson(report)) as Record<string, unknown>;
    for (const metric of EMPTY_METRICS) {
      for (const stat of STATS) {
        expect(report[`${stat}_${metric}_ms`], `${stat}_${metric}_ms`).toBeNull();
        expect(json[`${stat}_${metric}_ms`]).toBeNull();
      }
    }
    for (const stat of STATS) {
      expect(report[`${stat}_output_token_throughput_per_user`]).toBeNull();
      expect(typeof report[`${stat}_ttft_ms`]).toBe("number");
      expect(typeof report[`${stat}_e2e_latency_ms`]).toBe("number");
    }
    expect(report.completed_requests).toBe(5);
    // One token per request: TTFT = E2E for every request.
    expect(report.mean_e2e_latency_ms).toBe(report.mean_ttft_ms);
    expect(Object.keys(json)).toEqual([...REPORT_KEYS]);
  });

  it("read N/A in every column of the console table", () => {
    const table = renderAiperfTable(report);
    const row = (label: string): string[] => {
      const line = table.split("\n").find((l) => l.startsWith(`│ ${label} `));
      if (line === undefined) throw new Error(`no row ${label}`);
      return line
        .split("│")
        .slice(2, -1)
        .map((c) => c.trim());
    };
    for (const label of [
      "Time to Second Token (ms)",
      "Time per Output Token (ms)",
      "Inter Token Latency (ms)",
      "Output Token Throughput Per User",
    ]) {
      expect(row(label), label).toEqual(Array(8).fill("N/A"));
    }
    expect(row("Time to First Token (ms)").every((c) => /^[\d,]+\.\d\d$/.test(c))).toBe(true);
  });

  it("read N/A in the HTML report's summary table", () => {
    const result = mutableCopy(loadReportFixture("agg"));
    result.report.median_itl_ms = null;
    result.report.p99_itl_ms = null;
    const section = sectionHtml(renderPlannerReportHtml(result), "summary");
    expect(section).toContain('<tr><th scope="row">ITL p50 / p99</th><td>N/A / N/A</td></tr>');
  });

  it("travel as NaN in a sweep row: null in JSONL, an empty CSV cell; a bound on them holds", () => {
    const grid = sweepGridFromObject({ workers: [1] });
    const point = expandSweepGrid(grid)[0];
    if (point === undefined) throw new Error("no point");
    const metrics = Float64Array.from(ROW_METRIC_KEYS, (key) => report[key] ?? Number.NaN);
    expect(Number.isNaN(metrics[ROW_METRIC_KEYS.indexOf("p99_itl_ms")] as number)).toBe(true);
    const reply = {
      tag: SweepReplyTag.PointDone,
      pointIndex: 0,
      metrics,
      plannerMetrics: null,
      kvTierMetrics: null,
      plannerGpuHours: null,
      wallTimeMs: 1,
      taskMs: 1,
    } as const;
    const row = buildSweepRow(point, reply, null, {});
    const line = JSON.parse(rowsToJsonl([row], { withPlanner: false })) as Record<string, unknown>;
    const csv = rowsToCsv([row], { withPlanner: false }).split("\n");
    const header = (csv[0] as string).split(",");
    const cells = (csv[1] as string).split(",");
    for (const metric of LATENCY_METRICS) {
      const key = latencyKey("p99", metric);
      const empty = (EMPTY_METRICS as readonly string[]).includes(metric);
      expect(line[key], key).toEqual(empty ? null : report[key]);
      expect(cells[header.indexOf(key)], key).toBe(empty ? "" : String(report[key]));
    }
    // ITL p99 ≤ 1 ms holds (no gap exceeds it); TTFT p99 below the measured value fails.
    const ttft = report.p99_ttft_ms as number;
    expect(
      meetsQuestion(
        metrics,
        makeQuestion({ itl_p99_ms: 1 }, (k, r) => new InputError(`${k}: ${r}`)),
      ),
    ).toBe(true);
    const both = makeQuestion(
      { itl_p99_ms: 1, ttft_p99_ms: ttft / 2 },
      (k, r) => new InputError(`${k}: ${r}`),
    );
    expect(meetsQuestion(metrics, both)).toBe(false);
    expect(worstBoundRatio(metrics, both)).toBe(2);
  });
});
