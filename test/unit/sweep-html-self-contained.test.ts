import { describe, expect, it } from "vitest";
import { type SweepRow, withQuestion } from "../../src/parallel/sweep/row.js";
import { answerCapacityQuestion, parseSlaFlag } from "../../src/report/capacity/question.js";
import { ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { renderSweepHtml } from "../../src/report/capacity/sweep-html.js";

function row(index: number, id: string, gpuCount: number, ttftMs: number, itlMs: number): SweepRow {
  const metrics = new Float64Array(ROW_METRIC_KEYS.length).fill(1);
  metrics[ROW_METRIC_KEYS.indexOf("p99_ttft_ms")] = ttftMs;
  metrics[ROW_METRIC_KEYS.indexOf("p99_itl_ms")] = itlMs;
  return {
    index,
    id,
    trace: "conv",
    mode: "agg",
    numWorkers: gpuCount,
    numPrefillWorkers: null,
    numDecodeWorkers: null,
    routerMode: "kv",
    routerConfig: "default",
    engineArgs: "ea0",
    prefillEngineArgs: null,
    decodeEngineArgs: null,
    plannerConfig: null,
    arrivalSpeedupRatio: 1,
    concurrency: null,
    seed: 0,
    gpuCount,
    gpuHours: gpuCount / 10,
    slaPass: null,
    metrics,
    plannerMetrics: null,
    kvTierMetrics: null,
    wallTimeMs: 1,
    config: { engine_args: { label: "ea0", value: { note: "<b>&" } } },
  };
}

const question = parseSlaFlag("ttft_p99_ms=2000,itl_p99_ms=50");
// agg1 fails TTFT, agg2 passes with 2 GPUs (the cheapest), agg4 passes with 4.
const rows = [row(0, "agg1", 1, 9000, 40), row(1, "agg2", 2, 1500, 30), row(2, "agg4", 4, 600, 20)].map((r) =>
  withQuestion(r, question),
);
const input = {
  title: "capacity <test>",
  rows,
  question,
  answer: answerCapacityQuestion(rows, question),
  totalPoints: 3,
  shard: { index: 0, count: 1 },
};

describe("the sweep HTML page", () => {
  const html = renderSweepHtml(input);

  it("is one self-contained file: inline SVG charts, no scripts, no external resources", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(3); // TTFT p99, ITL p99, GPUs per point
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html.replaceAll("http://www.w3.org/", "")).not.toMatch(/https?:\/\//);
  });

  it("highlights the cheapest point meeting the question in the answer, the table and the charts", () => {
    expect(html).toContain("Answer: <b>agg2</b>");
    expect(html).toMatch(/<tr class="cheapest"><td>1<\/td><td>agg2<\/td>/);
    expect(html).toMatch(/<tr class="fail"><td>0<\/td><td>agg1<\/td>/);
    // One highlighted bar per chart.
    expect(html.match(/fill="#e8590c"/g)?.length).toBe(3);
    expect(html).toContain("bound 2000 ms");
    expect(html).toContain("bound 50 ms");
  });

  it("escapes text and renders the same bytes every time", () => {
    expect(html).toContain("capacity &lt;test&gt;");
    expect(html).toContain("&lt;b&gt;&amp;");
    expect(renderSweepHtml(input)).toBe(html);
  });
});
