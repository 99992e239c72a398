import { describe, expect, it } from "vitest";
import { buildReport, REPORT_KEYS, reportToJson } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";

// The report's key list (docs/replay.md#the-report) written out by hand (not derived from the code): 4
// counts, 10 timing/throughput fields, 5 latency metrics × 9 stats, 9 per-user stats = 68 keys. `max_itl_ms`
// is one of the latency keys.
const STATS = ["mean", "min", "max", "median", "p75", "p90", "p95", "p99", "std"];
const SPEC_KEYS = [
  "num_requests",
  "completed_requests",
  "total_input_tokens",
  "total_output_tokens",
  "duration_ms",
  "wall_time_ms",
  "request_throughput_rps",
  "input_throughput_tok_s",
  "output_throughput_tok_s",
  "total_throughput_tok_s",
  "processed_tokens",
  "processed_tokens_per_s",
  "processed_output_tokens_per_s",
  "prefix_cache_reused_ratio",
  ...["ttft", "ttst", "tpot", "itl", "e2e_latency"].flatMap((m) => STATS.map((s) => `${s}_${m}_ms`)),
  ...STATS.map((s) => `${s}_output_token_throughput_per_user`),
];

describe("report keys", () => {
  it("are exactly the reference's flat keys, in its order, 68 in all", () => {
    expect(SPEC_KEYS).toHaveLength(68);
    expect(SPEC_KEYS).toContain("max_itl_ms");
    expect([...REPORT_KEYS]).toEqual(SPEC_KEYS);
  });

  it("appear in the built report and its JSON in that order, each once", () => {
    const report = buildReport(
      new RequestCollector(0),
      { inputTokens: new Uint32Array(), outputTokens: new Uint32Array() },
      5,
    );
    expect(Object.keys(report)).toEqual(SPEC_KEYS);
    const parsed = JSON.parse(reportToJson(report)) as Record<string, number | null>;
    expect(Object.keys(parsed)).toEqual(SPEC_KEYS);
    // A finite number, or null for a distribution statistic without samples (this replay has none).
    for (const [key, v] of Object.entries(parsed)) {
      const distribution = /_(ttft|ttst|tpot|itl|e2e_latency)_ms$|_output_token_throughput_per_user$/.test(
        key,
      );
      expect(distribution ? v === null : typeof v === "number" && Number.isFinite(v), key).toBe(true);
    }
  });
});
