import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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

const PLANNER_KEYS = [
  "mode",
  "trace_name",
  "config",
  "ticks",
  "scaling_events",
  "gpu_hours",
  "gpu_hours_tick_sampled",
  "replicas",
  "replica_transitions",
  "sla_attainment",
  "diagnostics",
  "kv_utilisation",
  "distributions",
  "max_kv_tokens",
];

interface Section {
  readonly scaling_events: {
    at_s: number;
    component: string;
    from_count: number;
    to_count: number;
    reason: string;
  }[];
  readonly diagnostics: {
    timestamp_s: number;
    estimated_ttft_ms: number | null;
    sticky_kv_hit_rate: number | null;
    scale_to_decode: number | null;
  }[];
  readonly [key: string]: unknown;
}

describe("kvsim replay --planner-config (the CLI as a user runs it)", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-replay-planner-"));
  const easyAgg = JSON.stringify({ mode: "agg", optimization_target: "throughput" });

  it("prints the table, then one line per scaling event, and writes the flat report plus a planner section", () => {
    const report = join(dir, "easy.json");
    const r = kvsim([fixture, "--planner-config", easyAgg, "--report-json", report]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Time to First Token \(ms\)/);
    const json = JSON.parse(readFileSync(report, "utf8")) as Record<string, unknown> & { planner: Section };
    const keys = Object.keys(json);
    expect(keys[0]).toBe("num_requests");
    expect(keys.at(-1)).toBe("planner");
    expect(json.completed_requests).toBe(300);
    const p = json.planner;
    expect(Object.keys(p)).toEqual(PLANNER_KEYS);
    expect(p.mode).toBe("agg");
    expect(p.trace_name).toBe("conversation-300.jsonl");
    expect((p.config as Record<string, unknown>).kv_hit_rate_awareness).toBe(true);
    expect((p.config as Record<string, unknown>).optimization_target).toBe("throughput");
    expect(Object.keys(p.replicas as object)).toEqual(["agg"]);
    // Every event in the report is printed, in order, in the upstream replay's format.
    const printed = r.stdout.split("\n").filter((l) => l.startsWith("  t="));
    expect(p.scaling_events.length).toBeGreaterThan(0);
    expect(printed).toEqual(
      p.scaling_events.map(
        (e) => `  t=${e.at_s.toFixed(1)}s [agg]: ${e.from_count} -> ${e.to_count} workers (${e.reason})`,
      ),
    );
    expect(r.stdout).toMatch(/^Scaling events:$/m);
    expect(r.stdout).toMatch(/^SLA attainment: TTFT <= 500 ms \d+\.\d% of 300 requests/m);
  });

  it("reads a YAML planner config whose mode picks the disagg topology", () => {
    const yaml = join(dir, "planner.yaml");
    writeFileSync(yaml, "mode: disagg\noptimization_target: latency\n");
    const r = kvsim([fixture, "--planner-config", yaml, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const p = (JSON.parse(r.stdout) as { planner: Section }).planner;
    expect(p.mode).toBe("disagg");
    expect(Object.keys(p.replicas as object)).toEqual(["prefill", "decode"]);
  });

  it("--report-html writes the planner's HTML report next to the JSON one", () => {
    const html = join(dir, "planner.html");
    const r = kvsim([fixture, "--planner-config", easyAgg, "--report-html", html, "-q"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const text = readFileSync(html, "utf8");
    expect(text.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(text).toContain("Planner Diagnostics Report");
    expect(text).toContain("conversation-300.jsonl");
  });

  it("kv_hit_rate_awareness: false feeds no hit rate, so the same ticks estimate a higher TTFT", () => {
    const config = (aware: boolean) =>
      JSON.stringify({
        mode: "agg",
        optimization_target: "sla",
        enable_load_scaling: true,
        enable_throughput_scaling: false,
        ttft: 1000,
        kv_hit_rate_awareness: aware,
      });
    const on = kvsim([fixture, "--planner-config", config(true), "--json"]);
    const off = kvsim([fixture, "--planner-config", config(false), "--json"]);
    expect(on.code).toBe(0);
    expect(off.code).toBe(0);
    const a = (JSON.parse(on.stdout) as { planner: Section }).planner.diagnostics;
    const b = (JSON.parse(off.stdout) as { planner: Section }).planner.diagnostics;
    expect(b.every((d) => d.sticky_kv_hit_rate === null)).toBe(true);
    // Compare ticks while both runs are still the same simulation (same tick times, same decisions so far).
    let compared = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a[i] as Section["diagnostics"][number];
      const y = b[i] as Section["diagnostics"][number];
      if (x.timestamp_s !== y.timestamp_s) break;
      if (x.estimated_ttft_ms !== null && y.estimated_ttft_ms !== null && (x.sticky_kv_hit_rate ?? 0) > 0) {
        expect(x.estimated_ttft_ms).toBeLessThan(y.estimated_ttft_ms);
        compared++;
      }
      if (x.scale_to_decode !== y.scale_to_decode) break;
    }
    expect(compared).toBeGreaterThan(3);
  });

  it("rejects planner flags and configs it cannot run with one line and exit code 2", () => {
    const cases: [string[], RegExp][] = [
      [[fixture, "--report-html", join(dir, "x.html")], /--report-html needs --planner-config/],
      [[fixture, "--benchmark-granularity", "4"], /--benchmark-granularity needs --planner-config/],
      [
        [fixture, "--mode", "disagg", "--planner-config", easyAgg],
        /field "mode" is "agg" but --mode is disagg/,
      ],
      [[fixture, "--planner-config", '{"mode":"prefill"}'], /replay runs "agg" or "disagg" planners/],
      [[fixture, "--planner-config", '{"mode":"agg","load_predictr":"arima"}'], /unknown field/],
      [
        [fixture, "--planner-config", easyAgg, "--benchmark-granularity", "0"],
        /--benchmark-granularity: 0 must be in 1..256/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = kvsim(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
