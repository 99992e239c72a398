import { describe, expect, it } from "vitest";
import { formatGrouped, renderAiperfTable } from "../../src/report/aiperf-table.js";
import { REPORT_KEYS, type ReplayReport } from "../../src/report/summary.js";

function report(values: Partial<Record<string, number>>): ReplayReport {
  const r: Record<string, number> = {};
  for (const key of REPORT_KEYS) r[key] = values[key] ?? 0;
  return r as ReplayReport;
}

function cells(table: string, label: string): string[] {
  const row = table.split("\n").find((l) => l.startsWith(`│ ${label} `));
  if (row === undefined) throw new Error(`no row ${label}`);
  return row
    .split("│")
    .slice(2, -1)
    .map((c) => c.trim());
}

describe("AIPerf-style table", () => {
  const table = renderAiperfTable(
    report({
      mean_ttft_ms: 1234.5,
      min_ttft_ms: 10,
      max_ttft_ms: 99999.999,
      p99_ttft_ms: 5000,
      p90_ttft_ms: 4000,
      median_ttft_ms: 1000,
      p75_ttft_ms: 2000,
      std_ttft_ms: 321.125,
      mean_output_token_throughput_per_user: 88.5,
      output_throughput_tok_s: 123456.789,
      request_throughput_rps: 7,
      completed_requests: 1200,
      num_requests: 1300,
      prefix_cache_reused_ratio: 0.4567,
      duration_ms: 61_000,
      wall_time_ms: 98_765.4321,
    }),
  );

  it("has the columns Metric | avg | min | max | p99 | p90 | p50 | p75 | std", () => {
    const header = table.split("\n").find((l) => l.startsWith("┃")) as string;
    expect(
      header
        .split("┃")
        .slice(1, -1)
        .map((c) => c.trim()),
    ).toEqual(["Metric", "avg", "min", "max", "p99", "p90", "p50", "p75", "std"]);
  });

  it("maps avg → mean and p50 → median, two decimals with thousands separators", () => {
    // 99999.999 → "100,000.00" (rounded to two decimals); 321.125 is exact in binary and toFixed rounds the
    // tie up → "321.13"
    expect(cells(table, "Time to First Token (ms)")).toEqual([
      "1,234.50",
      "10.00",
      "100,000.00",
      "5,000.00",
      "4,000.00",
      "1,000.00",
      "2,000.00",
      "321.13",
    ]);
  });

  it("has a row for each latency distribution and the per-user rate", () => {
    for (const label of [
      "Time to First Token (ms)",
      "Time to Second Token (ms)",
      "Time per Output Token (ms)",
      "Inter Token Latency (ms)",
      "Request Latency (ms)",
      "Output Token Throughput Per User",
    ]) {
      expect(cells(table, label)).toHaveLength(8);
    }
    expect(table).toContain("(tokens/sec/user)");
  });

  it("shows single-number metrics in avg with N/A elsewhere", () => {
    expect(cells(table, "Output Token Throughput (tokens/sec)")).toEqual([
      "123,456.79",
      ...Array(7).fill("N/A"),
    ]);
    expect(cells(table, "Request Throughput (requests/sec)")[0]).toBe("7.00");
    expect(cells(table, "Request Count (completed)")[0]).toBe("1,200");
    expect(cells(table, "Request Count (arrived)")[0]).toBe("1,300");
    expect(cells(table, "Prefix Cache Reused (%)")[0]).toBe("45.67");
    expect(cells(table, "Simulated Duration (s)")[0]).toBe("61.00");
  });

  it("leaves wall time out, so it is identical between runs", () => {
    expect(table).not.toContain("98,765");
  });

  it("draws a rectangle: every line of the box has the same width", () => {
    const box = table.trimEnd().split("\n").slice(1);
    expect(new Set(box.map((l) => l.length)).size).toBe(1);
  });

  it("formats numbers without the host locale", () => {
    expect([
      formatGrouped(0),
      formatGrouped(999.996, 2),
      formatGrouped(-1234567.891, 2),
      formatGrouped(-0.001, 2),
    ]).toEqual(["0", "1,000.00", "-1,234,567.89", "0.00"]);
  });
});
