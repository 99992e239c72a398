// KV-tier columns of `kvsim sweep` rows, end to end: on a small tiered grid (agg and disagg, with and without
// tiers) each row's tier columns equal `kvsim replay`'s kv_tiers section for the same point; the rows do not
// depend on --threads, and slices merged equal the one-process run. A grid without tiers writes the rows it wrote
// before tier columns existed, built here by hand from the replay reports.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unpack } from "msgpackr";
import { afterAll, describe, expect, it } from "vitest";
import { PRE_TIER_ROW_COLUMNS } from "../support/pre-tier-row-columns.js";
import { csvWithoutWallTime, kvsim, kvsimAsync, withoutWallTime } from "../support/sweep-cli-kit.js";
import { GPU, REPLAY_WORKLOAD, TIERS, TRACE } from "../support/sweep-kv-tiers-kit.js";

const TIER_COLUMNS = [
  "reused_ratio_g1",
  "reused_ratio_g2",
  "reused_ratio_g3",
  "onboarding_requests",
  "onboarding_mean_ms",
  "onboarding_p50_ms",
  "onboarding_p99_ms",
  "onboarding_bytes",
] as const;

type Json = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), "kvsim-sweep-tier-columns-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sweep(grid: string, out: string, extra: readonly string[] = []): void {
  const r = kvsim(["sweep", "--grid", grid, "--out", out, "-q", ...extra]);
  expect(r.code, r.stderr).toBe(0);
}

const jsonl = (path: string): Json[] =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Json);

/** `kvsim replay --json` of a grid point: agg2 or p1d1 with the given engine args. */
function replay(mode: "agg" | "disagg", args: object): Json {
  const shape =
    mode === "agg"
      ? ["--num-workers", "2"]
      : ["--mode", "disagg", "--num-prefill-workers", "1", "--num-decode-workers", "1"];
  const r = kvsim([
    "replay",
    ...REPLAY_WORKLOAD,
    ...shape,
    "--engine-args",
    JSON.stringify(args),
    "--json",
    "-q",
  ]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Json;
}

/** The row columns a replay report's kv_tiers section stands for (no section: all reuse in G1, no onboarding). */
function expectedTierColumns(report: Json): Json {
  const t = report.kv_tiers as Json | undefined;
  if (t === undefined) {
    return {
      reused_ratio_g1: report.prefix_cache_reused_ratio,
      reused_ratio_g2: 0,
      reused_ratio_g3: 0,
      onboarding_requests: 0,
      onboarding_mean_ms: null,
      onboarding_p50_ms: null,
      onboarding_p99_ms: null,
      onboarding_bytes: 0,
    };
  }
  const o = t.onboarding as Json;
  return {
    reused_ratio_g1: t.reused_ratio_g1,
    reused_ratio_g2: t.reused_ratio_g2,
    reused_ratio_g3: t.reused_ratio_g3,
    onboarding_requests: o.requests,
    onboarding_mean_ms: o.mean_ms,
    onboarding_p50_ms: o.p50_ms,
    onboarding_p99_ms: o.p99_ms,
    onboarding_bytes: o.bytes,
  };
}

const POINTS = [
  ["agg", GPU],
  ["agg", TIERS],
  ["disagg", GPU],
  ["disagg", TIERS],
] as const;

describe("kvsim sweep KV-tier columns", () => {
  const grid = join(dir, "tiers.yaml");
  writeFileSync(
    grid,
    `${TRACE}workers: [2]\nprefill_decode: ["1:1"]\nengine_args:\n  gpu: ${JSON.stringify(GPU)}\n  tiers: ${JSON.stringify(TIERS)}\n`,
  );
  const one = join(dir, "one");

  it("equal kvsim replay's kv_tiers for every point (a point without tiers: G1 = its reuse)", () => {
    sweep(grid, one, ["--threads", "1"]);
    const rows = jsonl(join(one, "rows.jsonl"));
    expect(rows.map((r) => r.id)).toEqual(["agg2/ea:gpu", "agg2/ea:tiers", "p1d1/ea:gpu", "p1d1/ea:tiers"]);
    const keys = Object.keys(rows[0] as Json);
    expect(keys.slice(-TIER_COLUMNS.length - 1)).toEqual([...TIER_COLUMNS, "wall_time_ms"]);
    POINTS.forEach(([mode, args], k) => {
      const report = replay(mode, args);
      expect(report.kv_tiers === undefined, `point ${k}`).toBe(args === GPU);
      const row = rows[k] as Json;
      expect(Object.fromEntries(TIER_COLUMNS.map((c) => [c, row[c]])), `point ${k}`).toEqual(
        expectedTierColumns(report),
      );
      expect(row.prefix_cache_reused_ratio).toBe(report.prefix_cache_reused_ratio);
    });
    // The tiers did something: the tiered agg point onboarded from a lower tier.
    expect(rows[1]?.onboarding_requests).toBeGreaterThan(0);
    expect(rows[1]?.onboarding_bytes).toBeGreaterThan(0);
    const csv = readFileSync(join(one, "rows.csv"), "utf8").split("\n");
    expect(csv[0]?.endsWith(`,${TIER_COLUMNS.join(",")},wall_time_ms`)).toBe(true);
    expect((unpack(readFileSync(join(one, "manifest.msgpack"))) as Json).with_kv_tiers).toBe(true);
  });

  it("do not depend on --threads, and slices merged equal the one-process run", async () => {
    const two = join(dir, "two");
    sweep(grid, two, ["--threads", "2"]);
    const slices = [0, 1].map((i) => join(dir, `slice-${i}`));
    const runs = await Promise.all(
      slices.map((out, i) =>
        kvsimAsync(["sweep", "--grid", grid, "--out", out, "--shard", `${i}/2`, "--threads", "1", "-q"]),
      ),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const merged = join(dir, "merged");
    const m = kvsim(["merge", slices[1] as string, slices[0] as string, "--out", merged, "-q"]);
    expect(m.code, m.stderr).toBe(0);
    const text = (d: string, f: string) => readFileSync(join(d, f), "utf8");
    for (const d of [two, merged]) {
      expect(withoutWallTime(text(d, "rows.jsonl"))).toBe(withoutWallTime(text(one, "rows.jsonl")));
      expect(csvWithoutWallTime(text(d, "rows.csv"))).toBe(csvWithoutWallTime(text(one, "rows.csv")));
      expect(text(d, "report.html")).toBe(text(one, "report.html"));
    }
    // A slice holding only untiered points still writes the grid's tier columns.
    expect(Object.keys(jsonl(join(slices[0] as string, "rows.jsonl"))[0] as Json)).toEqual(
      Object.keys(jsonl(join(one, "rows.jsonl"))[0] as Json),
    );
  });

  it("are absent from a grid without tiers, whose rows are the pre-tier columns with the replay's values", () => {
    const plain = join(dir, "plain.yaml");
    writeFileSync(
      plain,
      `${TRACE}workers: [2]\nprefill_decode: ["1:1"]\nengine_args:\n  gpu: ${JSON.stringify(GPU)}\n`,
    );
    const out = join(dir, "plain-out");
    sweep(plain, out, ["--threads", "2"]);
    const expected = (["agg", "disagg"] as const).map((mode, index) => {
      const report = replay(mode, GPU);
      const agg = mode === "agg";
      const gpus = 2;
      const head: Json = {
        index,
        id: agg ? "agg2" : "p1d1",
        trace: "shared",
        mode,
        num_workers: agg ? 2 : null,
        num_prefill_workers: agg ? null : 1,
        num_decode_workers: agg ? null : 1,
        router_mode: "kv",
        router_config: "default",
        engine_args: "gpu",
        prefill_engine_args: agg ? null : "default",
        decode_engine_args: agg ? null : "default",
        planner_config: null,
        arrival_speedup_ratio: 1,
        concurrency: null,
        seed: 0,
        gpu_count: gpus,
        gpu_hours: (gpus * (report.duration_ms as number)) / 3_600_000,
        sla_pass: null,
      };
      const row = Object.fromEntries(
        PRE_TIER_ROW_COLUMNS.filter((k) => k !== "wall_time_ms").map((k) => [
          k,
          k in head ? head[k] : report[k],
        ]),
      );
      return JSON.stringify(row);
    });
    expect(withoutWallTime(readFileSync(join(out, "rows.jsonl"), "utf8"))).toBe(`${expected.join("\n")}\n`);
    expect(readFileSync(join(out, "rows.csv"), "utf8").split("\n")[0]).toBe(PRE_TIER_ROW_COLUMNS.join(","));
    expect(Object.keys(unpack(readFileSync(join(out, "manifest.msgpack"))) as Json)).not.toContain(
      "with_kv_tiers",
    );
  });
});
