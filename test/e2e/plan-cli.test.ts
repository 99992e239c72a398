import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const fixtures = join(root, "test", "fixtures", "planner");
const dir = mkdtempSync(join(tmpdir(), "kvsim-plan-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function plan(configFile: string, obsFile: string, extra: string[] = []) {
  return kvsim([
    "plan",
    "--config",
    join(fixtures, configFile),
    "--observations",
    join(fixtures, obsFile),
    ...extra,
  ]);
}

describe("kvsim plan as a user runs it", () => {
  it("replays the worked example (docs/planner.md#worked-example): floor 7 at t = 60, scale 1 → 7 at t = 65", () => {
    const r = plan("planner-prefill-sla.yaml", "obs-prefill-worked-example.jsonl");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("planner: mode prefill, target sla, load every 5 s, throughput every 60 s");
    const at60 = lines.find((l) => l.startsWith("t=60.000 "))!;
    expect(at60).toContain("load+throughput");
    expect(at60).toContain("throughput=set_lower_bound");
    expect(at60).toContain("pred_hit=0.800");
    expect(at60).toContain("floors=p:7,d:1");
    const at65 = lines.find((l) => l.startsWith("t=65.000 "))!;
    // (10 000 + 1500)·0.2 = 2300 tokens → 2.050 + 0.254 s
    expect(at65).toContain("scale_to=p:7,d:-");
    expect(at65).toContain("load=scale_up");
    expect(at65).toContain("ttft_est=2304.0ms");
    expect(lines.at(-1)).toBe("13 ticks, 1 scaling decision, 0 replica transitions");
  });

  it("prints JSON Lines with --json: decisions, per-component reasons, the skipped record reported on stderr", () => {
    const r = plan("planner-disagg-easy.yaml", "obs-disagg-easy.jsonl", ["--json"]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.map((x) => [x.now_s, x.scale_to])).toEqual([
      [5, { num_prefill: 2, num_decode: 1 }],
      [10, { num_prefill: 2, num_decode: 1 }],
      [15, null],
      [20, { num_prefill: 1, num_decode: 2 }],
      [25, null],
    ]);
    expect(rows[3].diagnostics).toMatchObject({
      load_decision_reason: "scale_up",
      load_decision_reason_prefill: "scale_down",
      load_decision_reason_decode: "scale_up",
    });
    expect(rows[4].diagnostics.load_decision_reason).toBe("worker_count_mismatch");
    expect(rows[0].tick).toMatchObject({ at_s: 5, run_load_scaling: true, need_traffic_metrics: true });
    // Load-only: the raw hit rate is sticky; the null at t = 15 keeps 0.3.
    expect(rows.map((x) => x.state.last_kv_hit_rate)).toEqual([0.25, 0.3, 0.3, 0.4, 0.5]);
    expect(r.stderr).toBe(
      "5 ticks, 3 scaling decisions, 4 replica transitions, 1 record skipped (before the next scheduled tick: line 6)\n",
    );
  });

  it("load-only agg SLA: the window's hit rate moves the TTFT estimate and the decision", () => {
    const r = plan("planner-agg-sla-load-only.yaml", "obs-agg-load-only.jsonl", ["--json"]);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    // hit 0 → (1500 + 1250) = 2750 tokens: 2048 + 702 → 2.063 + 0.717 s; hit 0.6 → 1100 tokens → 1.115 s
    expect(rows.map((x) => Math.round(x.diagnostics.estimated_ttft_ms * 1000) / 1000)).toEqual([
      2780, 1115, 1115, 2780,
    ]);
    expect(rows.map((x) => x.scale_to?.num_decode)).toEqual([3, 2, 1, 2]);
  });

  it("writes the diagnostics snapshots with --diagnostics-out", () => {
    const out = join(dir, "diag.json");
    const r = plan("planner-prefill-sla.yaml", "obs-prefill-worked-example.jsonl", [
      "--diagnostics-out",
      out,
      "-q",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(14); // header + 13 ticks, no summary under -q
    const data = JSON.parse(readFileSync(out, "utf8"));
    expect(data.summary.tickCount).toBe(13);
    const at60 = data.snapshots.find((s: { timestampS: number }) => s.timestampS === 60);
    expect(at60).toMatchObject({
      observedKvHitRate: 0.8,
      predictedKvHitRate: 0.8,
      throughputLowerBoundPrefill: 7,
    });
    expect(at60.observedRequestsPerSecond).toBeCloseTo(500 / 60, 9);
  });

  it("names file, line and field for a bad observation", () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(
      bad,
      '{"now_s": 5}\n\n{"now_s": 10, "traffic": {"duration_s": 5, "num_req": -1, "isl": 1, "osl": 1}}\n',
    );
    const r = kvsim(["plan", "--config", join(fixtures, "planner-disagg-easy.yaml"), "--observations", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kvsim: bad.jsonl:3: field "traffic.num_req": must be >= 0 (got -1)\n');
    expect(r.stdout).toBe("");

    writeFileSync(bad, '{"now_s": 5, "fpm": {"decode": [{"worker_id": "d0", "wall_tme": 0}]}}\n');
    expect(
      kvsim(["plan", "--config", join(fixtures, "planner-disagg-easy.yaml"), "--observations", bad]).stderr,
    ).toBe('kvsim: bad.jsonl:1: field "fpm.decode.0.wall_tme": unknown field\n');
    writeFileSync(bad, '{"now_s": 10}\n{"now_s": 5}\n');
    expect(
      kvsim(["plan", "--config", join(fixtures, "planner-disagg-easy.yaml"), "--observations", bad]).stderr,
    ).toBe('kvsim: bad.jsonl:2: field "now_s": goes backwards (5 after 10)\n');
    writeFileSync(bad, '{"now_s": 5,\n');
    expect(
      kvsim(["plan", "--config", join(fixtures, "planner-disagg-easy.yaml"), "--observations", bad]).stderr,
    ).toMatch(/^kvsim: bad\.jsonl:1: invalid JSON: /);
  });

  it("rejects a bad config by file and field, and missing options", () => {
    const cfg = join(dir, "planner.yaml");
    writeFileSync(cfg, "mode: agg\nfpm_sample_bucket_size: 10\n");
    const r = kvsim(["plan", "--config", cfg, "--observations", join(fixtures, "obs-disagg-easy.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kvsim: planner.yaml:2: field "fpm_sample_bucket_size": must be a perfect square (got 10)\n',
    );
    const missing = kvsim(["plan", "--observations", join(fixtures, "obs-disagg-easy.jsonl")]);
    expect([missing.code, missing.stderr]).toEqual([2, "kvsim plan: --config FILE is required\n"]);
  });
});
