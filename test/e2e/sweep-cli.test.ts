import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kvsim } from "../support/sweep-cli-kit.js";

const TRACE = `traces:
  - name: syn
    synthetic: {input_tokens: 1536, output_tokens: 48, request_count: 60, arrival_interval_ms: 30}
`;

describe("kvsim sweep (the CLI as a user runs it)", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-sweep-cli-"));

  it("prints the points table and the cheapest configuration meeting --sla, and writes every output", () => {
    const grid = join(dir, "ok.yaml");
    writeFileSync(grid, `${TRACE}workers: [1, 2, 4]\n`);
    const out = join(dir, "ok-out");
    const r = kvsim([
      "sweep",
      "--grid",
      grid,
      "--out",
      out,
      "--sla",
      "ttft_p99_ms=100000",
      "--itl-p99-ms",
      "1000",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^#\s+point\s+GPUs\s+TTFT p99 ms\s+ITL p99 ms\s+out tok\/s\s+SLA$/,
    );
    // Generous bounds: every point passes, so the cheapest is the one-GPU point.
    expect(r.stdout).toMatch(/^0 +agg1 \* +1 /m);
    expect(r.stdout).toMatch(
      /Cheapest configuration meeting ttft p99 ≤ 100000 ms, itl p99 ≤ 1000 ms: agg1 — 1 aggregated worker, 1 GPU \(.*; 3 of 3 points meet it\)/,
    );
    expect(r.stderr).toMatch(/^kvsim sweep: 3 point\(s\) on 2 thread\(s\), 180 requests to simulate\n/);
    expect(readdirSync(out).sort()).toEqual([
      "manifest.msgpack",
      "report.html",
      "rows.csv",
      "rows.jsonl",
      "rows.kvsweep",
    ]);
    const rows = readFileSync(join(out, "rows.jsonl"), "utf8").trim().split("\n");
    expect(rows.map((l) => (JSON.parse(l) as { id: string; sla_pass: boolean }).sla_pass)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("--list prints the slice's points without running them", () => {
    const grid = join(dir, "list.yaml");
    writeFileSync(grid, `${TRACE}workers: [1, 2]\nprefill_decode: ["1:1"]\nseeds: [0, 1]\n`);
    const r = kvsim(["sweep", "--grid", grid, "--list", "--shard", "1/2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1\tagg1/s1\n3\tagg2/s1\n5\tp1d1/s1\n");
  });

  it("a point that fails at run time: exit 2 naming its config and the error; only a partial file is written", () => {
    const grid = join(dir, "fault.yaml");
    writeFileSync(
      grid,
      `${TRACE}workers: [1, 2]\nengine_args:\n  ok: {}\n  broken: {perf_model: {type: interpolated, path: missing-table.json}}\n`,
    );
    const out = join(dir, "fault-out");
    const r = kvsim(["sweep", "--grid", grid, "--out", out, "--keep-going", "--quiet"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(
      /^kvsim: point 1 "agg1\/ea:broken" \(trace=syn mode=agg num_workers=1 .*engine_args=\{"perf_model":\{"type":"interpolated","path":"missing-table.json"\}\}.*\) failed: .*missing-table\.json: cannot read the perf-model table \(ENOENT\) \(and 1 more failed point\(s\)\)$/,
    );
    expect(lines[1]).toBe(
      `kvsim: 2 finished point(s) are in ${join(out, "rows.partial.jsonl")}; no final outputs were written`,
    );
    expect(readdirSync(out)).toEqual(["rows.partial.jsonl"]);
    const partial = readFileSync(join(out, "rows.partial.jsonl"), "utf8").trim().split("\n");
    expect(partial.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(["agg1/ea:ok", "agg2/ea:ok"]);
    expect(r.stdout).toBe("");
  });

  it("a rerun that succeeds removes the earlier partial file", () => {
    const grid = join(dir, "fault.yaml");
    const out = join(dir, "fault-out");
    writeFileSync(grid, `${TRACE}workers: [1, 2]\n`);
    const r = kvsim(["sweep", "--grid", grid, "--out", out, "--quiet"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, "rows.partial.jsonl"))).toBe(false);
    expect(existsSync(join(out, "manifest.msgpack"))).toBe(true);
  });

  it("a bad grid: exit 2 with one line naming file, line and field, nothing written", () => {
    const grid = join(dir, "bad.yaml");
    writeFileSync(grid, `${TRACE}workers: [1, 2]\nrouter_modes: [kv, fastest]\n`);
    const r = kvsim(["sweep", "--grid", grid, "--out", join(dir, "bad-out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kvsim: bad.yaml:5: field "router_modes[1]": must be "kv", "round_robin" or "random" (got "fastest")\n',
    );
    expect(existsSync(join(dir, "bad-out"))).toBe(false);
    expect(kvsim(["sweep"]).stderr).toBe("kvsim sweep: --grid FILE is required (see kvsim sweep --help)\n");
  });
});
