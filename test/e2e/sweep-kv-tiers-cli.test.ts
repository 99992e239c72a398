// KV-tier engine args in a `kvsim sweep` grid, as a user writes them: each point replays exactly as `kvsim replay`
// does with the same args, and a tier without kv_bytes_per_token is refused by grid line and field.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kvsim } from "../support/sweep-cli-kit.js";
import { GPU, REPLAY_WORKLOAD, TIERS, TRACE } from "../support/sweep-kv-tiers-kit.js";

const COMPARED = ["prefix_cache_reused_ratio", "mean_ttft_ms", "p99_ttft_ms", "duration_ms"] as const;

describe("kvsim sweep over KV-tier engine args", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-sweep-tiers-"));

  it("runs a tiered point as kvsim replay runs the same engine args", () => {
    const grid = join(dir, "tiers.yaml");
    writeFileSync(
      grid,
      `${TRACE}workers: [2]\nengine_args:\n  gpu: ${JSON.stringify(GPU)}\n  tiers: ${JSON.stringify(TIERS)}\n`,
    );
    const out = join(dir, "out");
    const r = kvsim(["sweep", "--grid", grid, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(join(out, "rows.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number | string>);
    expect(rows.map((row) => row.engine_args)).toEqual(["gpu", "tiers"]);
    for (const [row, args] of [
      [rows[0], GPU],
      [rows[1], TIERS],
    ] as const) {
      const replay = kvsim([
        "replay",
        ...REPLAY_WORKLOAD,
        "--num-workers",
        "2",
        "--engine-args",
        JSON.stringify(args),
        "--json",
        "-q",
      ]);
      expect(replay.code, replay.stderr).toBe(0);
      const report = JSON.parse(replay.stdout) as Record<string, number>;
      for (const key of COMPARED) expect(row?.[key], `${row?.id} ${key}`).toBe(report[key]);
    }
    // The tiers changed the run: onboarding, not recomputation, now serves the evicted prefixes.
    expect(rows[1]?.p99_ttft_ms).not.toBe(rows[0]?.p99_ttft_ms);
  });

  it("refuses a tier without kv_bytes_per_token by grid line and field (exit 2)", () => {
    const grid = join(dir, "bad.yaml");
    writeFileSync(grid, `${TRACE}engine_args:\n  bad: {host_kv_blocks: 32, host_kv_bandwidth: 5}\n`);
    const r = kvsim(["sweep", "--grid", grid, "--out", join(dir, "bad-out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kvsim: bad.yaml:5: engine_args.bad: field "kv_bytes_per_token": must be set when host_kv_blocks is 32: it sizes every tier transfer\n',
    );
  });
});
