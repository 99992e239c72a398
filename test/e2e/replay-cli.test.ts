import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, "replay", ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const WALL_KEYS = ["wall_time_ms", "processed_tokens_per_s", "processed_output_tokens_per_s"];
function withoutWallTime(json: string): Record<string, number> {
  const report = JSON.parse(json) as Record<string, number>;
  for (const k of WALL_KEYS) delete report[k];
  return report;
}

describe("kvsim replay (the CLI as a user runs it)", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-replay-"));

  it("prints the AIPerf-style table and writes a report and per-request records", () => {
    const report = join(dir, "r.json");
    const requests = join(dir, "req.jsonl");
    const r = kvsim([fixture, "--num-workers", "4", "--report-json", report, "--requests-out", requests]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Metric\s+┃\s+avg\s+┃\s+min\s+┃\s+max\s+┃\s+p99\s+┃\s+p90\s+┃\s+p50\s+┃\s+p75\s+┃\s+std/,
    );
    expect(r.stdout).toMatch(/Time to First Token \(ms\)/);
    const json = JSON.parse(readFileSync(report, "utf8")) as Record<string, number>;
    expect(json.num_requests).toBe(300);
    expect(json.completed_requests).toBe(300);
    const lines = readFileSync(requests, "utf8").trim().split("\n");
    expect(lines).toHaveLength(300);
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
      "line",
      "session",
      "worker",
      "arrival_ms",
      "first_admit_ms",
      "first_token_ms",
      "last_token_ms",
      "output_tokens",
      "reused_tokens",
      "preemptions",
    ]);
    expect(first.line).toBe(1);
    // The first trace line asks for 500 output tokens.
    expect(first.output_tokens).toBe(500);
  });

  for (const mode of [
    ["--num-workers", "3", "--router-mode", "kv"],
    ["--num-workers", "3", "--router-mode", "random"],
    ["--mode", "disagg", "--num-prefill-workers", "2", "--num-decode-workers", "2"],
  ]) {
    it(`the same seed gives a byte-identical report, wall time aside (${mode.join(" ")})`, () => {
      const a = kvsim([fixture, ...mode, "--seed", "5", "--json"]);
      const b = kvsim([fixture, ...mode, "--seed", "5", "--json"]);
      expect(a.code).toBe(0);
      expect(withoutWallTime(a.stdout)).toEqual(withoutWallTime(b.stdout));
      expect(withoutWallTime(a.stdout).completed_requests).toBe(300);
    });
  }

  it("bad engine args are a one-line error with exit code 2", () => {
    const r = kvsim([fixture, "--engine-args", '{"max_num_seqs": 0}']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--engine-args: field "max_num_seqs"/);
  });

  it("an unknown router config field is rejected by name", () => {
    const r = kvsim([fixture, "--router-config", '{"router_temprature": 1}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--router-config: field "router_temprature": unknown field/);
  });

  it("a lower-tier weight outside [0, 1] is a one-line error naming the field, exit code 2", () => {
    const r = kvsim([fixture, "--router-config", '{"kv_disk_overlap_weight": -1}']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--router-config: field "kv_disk_overlap_weight": must be a number in \[0, 1\]/);
  });

  it("a mismatched disagg block size is rejected", () => {
    const r = kvsim([fixture, "--mode", "disagg", "--decode-engine-args", '{"block_size": 16}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must equal the prefill pool's block_size 64/);
  });
});
