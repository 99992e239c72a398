// KV-tier columns of sweep rows: absent (byte-identical files to before they existed) unless the grid has a tier;
// carried through the FlatBuffers row file; a point without tiers in a tiered grid reads as all reuse in G1.

import { createHash } from "node:crypto";
import * as flatbuffers from "flatbuffers";
import { describe, expect, it } from "vitest";
import { SweepRows } from "../../src/parallel/schema/generated/sweep_rows_generated.js";
import { decodeSweepRows, encodeSweepRows } from "../../src/parallel/schema/sweep-rows-file.js";
import { rowsToCsv, rowsToJsonl, type SweepRow, sweepRowKeys } from "../../src/parallel/sweep/row.js";
import { KV_TIER_ROW_KEYS, PLANNER_ROW_KEYS, ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { kvTierRowMetrics } from "../../src/report/capacity/row-kv-tiers.js";
import { PRE_TIER_ROW_COLUMNS } from "../support/pre-tier-row-columns.js";

const AGG: SweepRow = {
  index: 0,
  id: "agg2",
  trace: "t",
  mode: "agg",
  numWorkers: 2,
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
  gpuCount: 2,
  gpuHours: 0.25,
  slaPass: true,
  metrics: Float64Array.from(ROW_METRIC_KEYS, (_, k) => k / 4),
  plannerMetrics: null,
  kvTierMetrics: null,
  wallTimeMs: 3.5,
  config: { id: "agg2", n: [1, null] },
};
const DISAGG: SweepRow = {
  ...AGG,
  index: 1,
  id: "p1d1",
  mode: "disagg",
  numWorkers: null,
  numPrefillWorkers: 1,
  numDecodeWorkers: 1,
  prefillEngineArgs: "default",
  decodeEngineArgs: "default",
  plannerConfig: "pc",
  slaPass: false,
  metrics: Float64Array.from(ROW_METRIC_KEYS, (_, k) => (k % 5 === 0 ? Number.NaN : 100 - k)),
  plannerMetrics: Float64Array.from(PLANNER_ROW_KEYS, (_, k) => k + 0.5),
};

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

describe("sweep rows of a grid without KV tiers", () => {
  it("encode to the bytes this file had before KV-tier fields existed (sha256 pinned from the pre-change build)", () => {
    const file = { gridHash: "h", shardIndex: 0, shardCount: 1, totalPoints: 2, withKvTiers: false };
    const plain = [AGG, { ...DISAGG, plannerConfig: null, plannerMetrics: null }];
    expect(sha256(encodeSweepRows({ ...file, withPlanner: false, rows: plain }))).toBe(
      "7e10fd58b88428e790ddddb2349a21e7395eac47c21cc14e48bd5d4d46473e4f",
    );
    expect(sha256(encodeSweepRows({ ...file, withPlanner: true, rows: [AGG, DISAGG] }))).toBe(
      "20434fd254dfc566d509c74686b21425fe2a9b5be488da62200fa54548ff89d7",
    );
  });

  it("have the columns they always had (the pre-change rows.csv header, written out)", () => {
    const header = PRE_TIER_ROW_COLUMNS.join(",");
    expect(sweepRowKeys(false).join(",")).toBe(header);
    expect(sweepRowKeys(false, false).join(",")).toBe(header);
    expect(rowsToCsv([], { withPlanner: false }).trim()).toBe(header);
    expect(sweepRowKeys(true).join(",")).toBe(
      header.replace(",wall_time_ms", `,${PLANNER_ROW_KEYS.join(",")},wall_time_ms`),
    );
  });
});

const SECTION = {
  reused_ratio_g1: 0.25,
  reused_ratio_g2: 0.125,
  reused_ratio_g3: 0.0625,
  onboarding: { requests: 7, mean_ms: 1.5, p50_ms: 1.25, p99_ms: 4.75, bytes: 1048576 },
};
const TIERED: SweepRow = { ...AGG, index: 2, id: "agg2/ea:tiers", kvTierMetrics: kvTierRowMetrics(SECTION) };
const TIERED_FILE = {
  gridHash: "h",
  shardIndex: 0,
  shardCount: 1,
  totalPoints: 3,
  withPlanner: true,
  withKvTiers: true,
  rows: [AGG, DISAGG, TIERED],
};

describe("sweep rows of a grid with KV tiers", () => {
  it("round-trip through the FlatBuffers file; a point without tiers stays without", () => {
    const decoded = decodeSweepRows(encodeSweepRows(TIERED_FILE), "rows.kvsweep");
    expect(decoded).toEqual(TIERED_FILE);
    const t = SweepRows.getRootAsSweepRows(new flatbuffers.ByteBuffer(encodeSweepRows(TIERED_FILE)));
    expect(t.kvTierMetricNamesLength()).toBe(KV_TIER_ROW_KEYS.length);
    expect(t.rows(0)?.kvTierMetricsLength()).toBe(0);
    expect(t.rows(2)?.kvTierMetrics(KV_TIER_ROW_KEYS.indexOf("onboarding_p99_ms"))).toBe(4.75);
  });

  it("write the kv_tiers figures after the planner columns; an untiered point: G1 = its reuse, no onboarding", () => {
    const keys = sweepRowKeys(true, true);
    expect(keys.slice(-KV_TIER_ROW_KEYS.length - 1)).toEqual([...KV_TIER_ROW_KEYS, "wall_time_ms"]);
    const lines = rowsToJsonl([AGG, TIERED], { withPlanner: false, withKvTiers: true })
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const tiers = (row: Record<string, unknown> | undefined) =>
      Object.fromEntries(KV_TIER_ROW_KEYS.map((k) => [k, row?.[k]]));
    expect(tiers(lines[0])).toEqual({
      reused_ratio_g1: AGG.metrics[ROW_METRIC_KEYS.indexOf("prefix_cache_reused_ratio")],
      reused_ratio_g2: 0,
      reused_ratio_g3: 0,
      onboarding_requests: 0,
      onboarding_mean_ms: null,
      onboarding_p50_ms: null,
      onboarding_p99_ms: null,
      onboarding_bytes: 0,
    });
    expect(tiers(lines[1])).toEqual({
      reused_ratio_g1: 0.25,
      reused_ratio_g2: 0.125,
      reused_ratio_g3: 0.0625,
      onboarding_requests: 7,
      onboarding_mean_ms: 1.5,
      onboarding_p50_ms: 1.25,
      onboarding_p99_ms: 4.75,
      onboarding_bytes: 1048576,
    });
    const csv = rowsToCsv([AGG], { withPlanner: false, withKvTiers: true }).split("\n");
    expect(csv[0]?.endsWith(`,${KV_TIER_ROW_KEYS.join(",")},wall_time_ms`)).toBe(true);
    expect(csv[1]?.endsWith(",0,0,0,,,,0,3.5")).toBe(true);
  });

  it("a file written before KV-tier fields existed reads as a grid without tiers", () => {
    const old = encodeSweepRows({ ...TIERED_FILE, withKvTiers: false });
    const decoded = decodeSweepRows(old, "old.kvsweep");
    expect(decoded.withKvTiers).toBe(false);
    expect(decoded.rows.map((r) => r.kvTierMetrics)).toEqual([null, null, null]);
  });
});
