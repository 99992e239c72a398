// `kvsim replay` over workers with host (G2) and disk (G3) KV tiers, as a user runs it: the report gains a kv_tiers
// section and the table its rows, the --requests-out records their tier fields, and the section is what the
// records add up to. Small synthetic workloads: 60 prompts of 32 blocks whose first 24 blocks are shared within
// one of 8 groups, on 96-block GPUs, so shared prefixes are evicted and come back from the tiers.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPORT_KEYS } from "../../src/report/summary.js";
import { dir, kvsim, withoutWallTime } from "../support/replay-cells-cli-kit.js";

const WORKLOAD = [
  "--input-tokens",
  "2048",
  "--output-tokens",
  "16",
  "--request-count",
  "60",
  "--shared-prefix-ratio",
  "0.75",
  "--num-prefix-groups",
  "8",
  "--arrival-interval-ms",
  "200",
];
const BYTES_PER_TOKEN = 131072;
const TIERS = {
  num_gpu_blocks: 96,
  host_kv_blocks: 32,
  host_kv_bandwidth: 5,
  disk_kv_blocks: 512,
  disk_kv_bandwidth: 1,
  kv_bytes_per_token: BYTES_PER_TOKEN,
};

interface TierRecord {
  readonly reused_tokens: number | null;
  readonly host_hit_tokens: number | null;
  readonly disk_hit_tokens: number | null;
  readonly onboarded_tokens: number | null;
  readonly onboard_ms: number | null;
  readonly output_tokens: number;
  readonly preemptions: number;
}

interface KvTiers {
  readonly reused_ratio_g1: number;
  readonly reused_ratio_g2: number;
  readonly reused_ratio_g3: number;
  readonly onboarding: {
    readonly requests: number;
    readonly mean_ms: number | null;
    readonly p50_ms: number | null;
    readonly p99_ms: number | null;
    readonly bytes: number;
  };
}

function run(name: string, args: readonly string[]) {
  const json = join(dir, `${name}.json`);
  const records = join(dir, `${name}.jsonl`);
  const r = kvsim([...WORKLOAD, ...args, "--report-json", json, "--requests-out", records]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return {
    stdout: r.stdout,
    json: readFileSync(json, "utf8"),
    records: readFileSync(records, "utf8"),
  };
}

const parseRecords = (text: string): TierRecord[] =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as TierRecord);

/** The kv_tiers section recomputed from the per-request records (every request completes here). */
function sectionFromRecords(records: readonly TierRecord[], inputTokens: number) {
  const sum = (pick: (r: TierRecord) => number | null): number =>
    records.reduce((s, r) => s + (pick(r) ?? 0), 0);
  const all = inputTokens * records.length;
  const ms = records
    .filter((r) => (r.onboarded_tokens ?? 0) > 0)
    .map((r) => r.onboard_ms as number)
    .sort((a, b) => a - b);
  const rank = (p: number): number => ms[Math.round(((ms.length - 1) * p) / 100)] as number;
  return {
    g2: sum((r) => r.host_hit_tokens) / all,
    g3: sum((r) => r.disk_hit_tokens) / all,
    g1: (sum((r) => r.reused_tokens) - sum((r) => r.host_hit_tokens) - sum((r) => r.disk_hit_tokens)) / all,
    requests: ms.length,
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
    p50: rank(50),
    p99: rank(99),
    bytes: sum((r) => r.onboarded_tokens) * BYTES_PER_TOKEN,
  };
}

describe("kvsim replay with host and disk KV tiers", () => {
  it("adds kv_tiers after the flat report, equal to what the per-request records add up to", () => {
    const out = run("agg-tiers", ["--num-workers", "2", "--engine-args", JSON.stringify(TIERS)]);
    const report = JSON.parse(out.json) as Record<string, unknown>;
    expect(Object.keys(report)).toEqual([...REPORT_KEYS, "kv_tiers"]);
    const t = report.kv_tiers as KvTiers;
    expect(Object.keys(t)).toEqual(["reused_ratio_g1", "reused_ratio_g2", "reused_ratio_g3", "onboarding"]);
    expect(Object.keys(t.onboarding)).toEqual(["requests", "mean_ms", "p50_ms", "p99_ms", "bytes"]);
    expect(t.reused_ratio_g1 + t.reused_ratio_g2 + t.reused_ratio_g3).toBeCloseTo(
      report.prefix_cache_reused_ratio as number,
      12,
    );
    // The workload reaches both lower tiers.
    expect(t.reused_ratio_g2).toBeGreaterThan(0);
    expect(t.reused_ratio_g3).toBeGreaterThan(0);

    const records = parseRecords(out.records);
    expect(records).toHaveLength(60);
    const want = sectionFromRecords(records, 2048);
    expect(t.reused_ratio_g1).toBe(want.g1);
    expect(t.reused_ratio_g2).toBe(want.g2);
    expect(t.reused_ratio_g3).toBe(want.g3);
    expect(t.onboarding.requests).toBe(want.requests);
    expect(t.onboarding.mean_ms).toBeCloseTo(want.mean, 9);
    expect(t.onboarding.p50_ms).toBe(want.p50);
    expect(t.onboarding.p99_ms).toBe(want.p99);
    expect(t.onboarding.bytes).toBe(want.bytes);

    for (const r of records) {
      const host = r.host_hit_tokens as number;
      const disk = r.disk_hit_tokens as number;
      expect(host + disk).toBeLessThanOrEqual(r.reused_tokens as number);
      if (r.preemptions > 0) continue;
      // One admission: its host and disk blocks travel on their own links, in parallel, each at least
      // bytes ÷ bandwidth — 64 tokens × 131,072 B = 8.39 MB per block: 1.68 ms at 5 GB/s, 8.39 ms at 1 GB/s.
      const bound = Math.max((host * BYTES_PER_TOKEN) / 5e6, (disk * BYTES_PER_TOKEN) / 1e6);
      expect(r.onboard_ms as number).toBeGreaterThanOrEqual(bound - 1e-9);
      expect(r.onboarded_tokens).toBe(host + disk);
    }

    for (const label of [
      "Prefix Cache Reused, GPU G1 (%)",
      "Prefix Cache Reused, Host G2 (%)",
      "Prefix Cache Reused, Disk G3 (%)",
      "KV Onboarding Time (ms)",
      "KV Onboarded Requests",
      "KV Onboarded (GB)",
    ])
      expect(out.stdout).toContain(`│ ${label}`);
  });

  it("--json prints the report file's text, kv_tiers included", () => {
    const args = ["--num-workers", "2", "--engine-args", JSON.stringify(TIERS)];
    const file = run("agg-tiers-json", args).json;
    const printed = kvsim([...WORKLOAD, ...args, "--json", "-q"]);
    expect(printed.code).toBe(0);
    expect(withoutWallTime(printed.stdout)).toBe(withoutWallTime(file));
  });

  it("with tiers off — no tier args, or both capacities 0 — writes what it always did", () => {
    const plain = run("agg-plain", ["--num-workers", "2", "--engine-args", '{"num_gpu_blocks": 96}']);
    const zero = run("agg-zero", [
      "--num-workers",
      "2",
      "--engine-args",
      JSON.stringify({ ...TIERS, host_kv_blocks: 0, disk_kv_blocks: 0 }),
    ]);
    expect(withoutWallTime(zero.json)).toBe(withoutWallTime(plain.json));
    expect(zero.records).toBe(plain.records);
    expect(Object.keys(JSON.parse(plain.json) as object)).toEqual([...REPORT_KEYS]);
    expect(plain.records).not.toContain("host_hit_tokens");
    expect(plain.stdout).not.toContain("G1");
  });

  it("with a planner (in the loop, or hindsight): kv_tiers before planner, whose onboarding CDF agrees with it", () => {
    for (const policy of ["dynamo", "hindsight"]) {
      const planner = JSON.stringify({
        mode: "agg",
        optimization_target: "sla",
        ttft: 500,
        itl: 100,
        max_gpu_budget: 3,
        scaling_policy: policy,
      });
      const args = ["--num-workers", "2", "--engine-args", JSON.stringify(TIERS)];
      const out = run(`agg-tiers-${policy}`, [...args, "--planner-config", planner]);
      const report = JSON.parse(out.json) as {
        kv_tiers: KvTiers;
        planner: { distributions: { onboard_ms_cdf: [number, number][] } };
      };
      const keys = Object.keys(report);
      expect(keys.slice(keys.indexOf("kv_tiers"))).toEqual(["kv_tiers", "planner"]);
      const o = report.kv_tiers.onboarding;
      const cdf = report.planner.distributions.onboard_ms_cdf;
      // Fewer than 256 samples: point k is the k-th smallest time, so the nearest ranks index it directly.
      expect(cdf).toHaveLength(o.requests);
      expect(cdf[Math.round((o.requests - 1) * 0.5)]?.[0]).toBe(o.p50_ms);
      expect(cdf[Math.round((o.requests - 1) * 0.99)]?.[0]).toBe(o.p99_ms);
      expect(sectionFromRecords(parseRecords(out.records), 2048).requests).toBe(o.requests);
    }
  });

  it("disagg: the prefill pool's tiers and its kv_bytes_per_token size the bytes moved", () => {
    const out = run("disagg-tiers", [
      "--mode",
      "disagg",
      "--num-prefill-workers",
      "2",
      "--num-decode-workers",
      "1",
      "--prefill-engine-args",
      JSON.stringify(TIERS),
      // A different size per token on decode: the onboarding bytes must not use it.
      "--decode-engine-args",
      '{"num_gpu_blocks": 1024, "kv_bytes_per_token": 65536}',
    ]);
    const report = JSON.parse(out.json) as { kv_tiers: KvTiers; prefix_cache_reused_ratio: number };
    const t = report.kv_tiers;
    const want = sectionFromRecords(parseRecords(out.records), 2048);
    expect(t.onboarding.requests).toBeGreaterThan(0);
    expect(t.onboarding.bytes).toBe(want.bytes);
    expect([t.reused_ratio_g1, t.reused_ratio_g2, t.reused_ratio_g3]).toEqual([want.g1, want.g2, want.g3]);
    expect(t.reused_ratio_g1 + t.reused_ratio_g2 + t.reused_ratio_g3).toBeCloseTo(
      report.prefix_cache_reused_ratio,
      12,
    );
  });
});
