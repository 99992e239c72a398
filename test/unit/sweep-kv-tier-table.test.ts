// The terminal table and the sweep page show KV-tier columns only for a grid with a tier.

import { describe, expect, it } from "vitest";
import type { SweepRow } from "../../src/parallel/sweep/row.js";
import { formatSweepTable } from "../../src/report/capacity/answer-text.js";
import { ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { kvTierRowMetrics } from "../../src/report/capacity/row-kv-tiers.js";
import { renderSweepHtml } from "../../src/report/capacity/sweep-html.js";

const PLAIN: SweepRow = {
  index: 0,
  id: "agg2/ea:gpu",
  trace: "t",
  mode: "agg",
  numWorkers: 2,
  numPrefillWorkers: null,
  numDecodeWorkers: null,
  routerMode: "kv",
  routerConfig: "default",
  engineArgs: "gpu",
  prefillEngineArgs: null,
  decodeEngineArgs: null,
  plannerConfig: null,
  arrivalSpeedupRatio: 1,
  concurrency: null,
  seed: 0,
  gpuCount: 2,
  gpuHours: 0.5,
  slaPass: true,
  metrics: Float64Array.from(ROW_METRIC_KEYS, (k) => (k === "prefix_cache_reused_ratio" ? 0.5 : 10)),
  plannerMetrics: null,
  kvTierMetrics: null,
  wallTimeMs: 1,
  config: {},
};
const TIERED: SweepRow = {
  ...PLAIN,
  index: 1,
  id: "agg2/ea:tiers",
  kvTierMetrics: kvTierRowMetrics({
    reused_ratio_g1: 0.25,
    reused_ratio_g2: 0.125,
    reused_ratio_g3: 0.0625,
    onboarding: { requests: 3, mean_ms: 2, p50_ms: 1, p99_ms: 12.25, bytes: 3 * 1024 * 1024 },
  }),
};
const HTML = { title: null, question: null, answer: null, totalPoints: 2, shard: { index: 0, count: 1 } };

describe("KV-tier columns in the sweep table and page", () => {
  it("the terminal table: none without tiers; G1/G2/G3, onboarding p99 and MiB before the verdict with", () => {
    expect(formatSweepTable([PLAIN], null).split("\n")).toEqual([
      "#  point        GPUs  TTFT p99 ms  ITL p99 ms  out tok/s  SLA",
      "0  agg2/ea:gpu     2         10.0       10.00         10  pass",
    ]);
    expect(formatSweepTable([PLAIN, TIERED], null, true).split("\n")).toEqual([
      "#  point          GPUs  TTFT p99 ms  ITL p99 ms  out tok/s  reuse G1  reuse G2  reuse G3  onboard p99 ms  onboarded MiB  SLA",
      "0  agg2/ea:gpu       2         10.0       10.00         10     0.500     0.000     0.000             N/A            0.0  pass",
      "1  agg2/ea:tiers     2         10.0       10.00         10     0.250     0.125     0.063            12.3            3.0  pass",
    ]);
  });

  it("the page: the same table without tiers, the tier columns before 'meets SLA' with", () => {
    const plain = renderSweepHtml({ ...HTML, rows: [PLAIN, TIERED] });
    expect(renderSweepHtml({ ...HTML, rows: [PLAIN, TIERED], withKvTiers: false })).toBe(plain);
    expect(plain).not.toContain("reuse G2");
    const tiered = renderSweepHtml({ ...HTML, rows: [PLAIN, TIERED], withKvTiers: true });
    expect(tiered).toContain(
      "<th>prefix reuse</th><th>reuse G1</th><th>reuse G2</th><th>reuse G3</th><th>onboard p99 ms</th><th>onboarded MiB</th><th>meets SLA</th>",
    );
    expect(tiered).toContain("<td>0.25</td><td>0.125</td><td>0.063</td><td>12.3</td><td>3</td><td>yes</td>");
  });
});
