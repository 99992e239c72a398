import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");
const dir = mkdtempSync(join(tmpdir(), "kvsim-replay-cells-"));
// The first 120 requests of the fixture: short runs for the cases that replay several times.
const small = join(dir, "conversation-120.jsonl");
writeFileSync(small, `${readFileSync(fixture, "utf8").split("\n").slice(0, 120).join("\n")}\n`);

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, "replay", ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON text without the host-time fields (the only ones that differ between two runs). */
function withoutWallTime(text: string): string {
  return text
    .split("\n")
    .filter(
      (line) => !/^\s*"(wall_time_ms|processed_tokens_per_s|processed_output_tokens_per_s)":/.test(line),
    )
    .join("\n");
}

const planner = JSON.stringify({
  mode: "agg",
  optimization_target: "throughput",
  load_adjustment_interval: 5,
  min_endpoint: 3,
});

describe("kvsim replay --cells K --threads N prints the same bytes for every N", () => {
  it("--cells 3 prints the same JSON on 1, 2 and 3 threads, with the cells section and the error vs unsharded", () => {
    const outs = ["1", "2", "3"].map((threads) => {
      const r = kvsim([
        small,
        "--num-workers",
        "6",
        "-q",
        "--json",
        "--cells",
        "3",
        "--threads",
        threads,
        "--planner-config",
        planner,
      ]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return withoutWallTime(r.stdout);
    });
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
    const json = JSON.parse(outs[0] as string) as Record<string, unknown>;
    expect(Object.keys(json).slice(-2)).toEqual(["planner", "cells"]);
    const cells = json.cells as {
      count: number;
      shard_key: string;
      requests: number[];
      compare_unsharded: Record<string, { relative_error: number }>;
    };
    expect(cells.count).toBe(3);
    expect(cells.shard_key).toBe("block:2");
    expect(cells.requests.reduce((a, b) => a + b, 0)).toBe(120);
    expect(Object.keys(cells.compare_unsharded)).toEqual(["ttft_p50_ms", "ttft_p99_ms", "gpu_hours"]);
  });
});
