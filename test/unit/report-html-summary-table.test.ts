// The summary tables: run (trace, mode, predictor, awareness), capacity and cost (exact and tick-sampled GPU-hours,
// replica statistics per component, transitions) and SLA attainment with the flat report's key latency and
// throughput figures — values set by hand here, with the strings they must print.

import { describe, expect, it } from "vitest";
import { renderPlannerReportHtml } from "../../src/report/html/render.js";
import { loadReportFixture, mutableCopy, sectionHtml } from "../support/report-kit.js";

function row(label: string, value: string): string {
  return `<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
}

describe("summary tables", () => {
  const result = mutableCopy(loadReportFixture("disagg"));
  const p = result.planner;
  p.trace_name = "mooncake.jsonl";
  p.config.load_predictor = "arima";
  p.config.kv_hit_rate_awareness = false;
  p.config.optimization_target = "sla";
  p.gpu_hours = { prefill: 1.25, decode: 2.5, total: 3.75 };
  p.gpu_hours_tick_sampled = 3.6875;
  p.replicas = {
    decode: { peak: 4, time_weighted_mean: 2.456, initial: 1, final: 2 },
    prefill: { peak: 3, time_weighted_mean: 1.5, initial: 2, final: 1 },
  };
  p.replica_transitions = 17;
  p.sla_attainment = {
    ttft_sla_ms: 1000,
    itl_sla_ms: 25,
    ttft_fraction: 0.9,
    itl_fraction: 0.99949,
    ttft_requests: 12031,
    itl_requests: 11959,
  };
  const r = result.report;
  r.median_ttft_ms = 812.34;
  r.p99_ttft_ms = 4129.4;
  r.median_itl_ms = 13.64;
  r.p99_itl_ms = 184.2;
  r.request_throughput_rps = 2.519;
  r.output_throughput_tok_s = 949.64;
  r.duration_ms = 119_075;
  r.completed_requests = 299;
  r.num_requests = 300;
  const section = sectionHtml(renderPlannerReportHtml(result), "summary");

  it("describes the run", () => {
    expect(section).toContain(row("Trace", "mooncake.jsonl"));
    expect(section).toContain(row("Mode", "disagg"));
    expect(section).toContain(row("Optimization target", "sla"));
    expect(section).toContain(row("Load predictor", "arima"));
    expect(section).toContain(row("KV-hit-rate awareness", "off"));
    // 119,075 ms = 1 min 59.075 s → rounded to 1 min 59 s.
    expect(section).toContain(row("Simulated duration", "1 min 59 s"));
    expect(section).toContain(row("Requests completed", "299 of 300"));
  });

  it("gives exact and tick-sampled GPU-hours, transitions and per-component replica statistics", () => {
    expect(section).toContain(row("GPU-hours (exact)", "3.75 (prefill 1.25, decode 2.5)"));
    expect(section).toContain(row("GPU-hours (tick-sampled)", "3.69"));
    expect(section).toContain(row("Replica transitions", "17"));
    // Rows prefill then decode; columns initial, peak, time-weighted mean (2 decimals), final.
    const prefill = section.indexOf(
      '<th scope="row">prefill</th><td>2</td><td>3</td><td>1.50</td><td>1</td>',
    );
    const decode = section.indexOf('<th scope="row">decode</th><td>1</td><td>4</td><td>2.46</td><td>2</td>');
    expect(prefill).toBeGreaterThan(0);
    expect(decode).toBeGreaterThan(prefill);
  });

  it("reports SLA attainment and the key latency and throughput figures", () => {
    expect(section).toContain(row("TTFT ≤ 1,000 ms", "90.0% of 12,031 requests"));
    // 0.99949 → 99.949% → one decimal: 99.9%.
    expect(section).toContain(row("mean ITL ≤ 25 ms", "99.9% of 11,959 requests"));
    expect(section).toContain(row("TTFT p50 / p99", "812 ms / 4,129 ms"));
    expect(section).toContain(row("ITL p50 / p99", "13.6 ms / 184 ms"));
    expect(section).toContain(row("Request throughput", "2.52 req/s"));
    expect(section).toContain(row("Output throughput", "950 tokens/s"));
  });

  it("prints a dash for figures the flat report lacks", () => {
    const bare = mutableCopy(result);
    delete bare.report.p99_ttft_ms;
    const html = sectionHtml(renderPlannerReportHtml(bare), "summary");
    expect(html).toContain(row("TTFT p50 / p99", "812 ms / —"));
  });
});
