import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, "replay", "--quiet", ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A small synthetic load: 300 requests of 3000 prompt / 100 output tokens every 50 ms (≈ 15 s of traffic).
const SYNTH = [
  "--input-tokens",
  "3000",
  "--output-tokens",
  "100",
  "--request-count",
  "300",
  "--arrival-interval-ms",
  "50",
];
const SLA = {
  optimization_target: "sla",
  ttft: 300,
  itl: 30,
  load_adjustment_interval: 5,
  throughput_adjustment_interval: 60,
};

function plannerJson(extra: Record<string, unknown>): string {
  return JSON.stringify({ mode: "agg", ...SLA, ...extra });
}

describe("kvsim replay --planner-config with scaling_policy hindsight", () => {
  it("replays the hindsight schedule into a planner section that meets its target", () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsim-hindsight-"));
    const out = join(dir, "report.json");
    const r = kvsim([
      ...SYNTH,
      "--planner-config",
      plannerJson({ scaling_policy: "hindsight" }),
      "--report-json",
      out,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const planner = JSON.parse(readFileSync(out, "utf8")).planner;
    expect(planner.policy.name).toBe("hindsight");
    expect(planner.config.scaling_policy).toBe("hindsight");
    expect(planner.hindsight.windows.length).toBe(planner.ticks);
    expect(planner.sla_attainment.ttft_fraction).toBeGreaterThanOrEqual(0.95);
    expect(planner.sla_attainment.itl_fraction).toBeGreaterThanOrEqual(0.95);
    expect(planner.gpu_hours.total).toBeLessThanOrEqual(planner.hindsight.static.gpu_hours);
  });

  it("--compare-hindsight adds one line each and a comparison section; without it the output is unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsim-compare-"));
    const withFlag = join(dir, "with.json");
    const without = join(dir, "without.json");
    const config = plannerJson({});
    const a = kvsim([...SYNTH, "--planner-config", config, "--compare-hindsight", "--report-json", withFlag]);
    const b = kvsim([...SYNTH, "--planner-config", config, "--report-json", without]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/^Hindsight: GPU-hours \d+\.\d{4} \(TTFT .*planner uses \d+\.\d\dx$/m);
    expect(a.stdout).toMatch(
      /^Cheapest static: \d+ workers, GPU-hours \d+\.\d{4} .*planner uses \d+\.\d\dx$/m,
    );
    expect(b.stdout).not.toMatch(/Hindsight|Cheapest static/);
    const withJson = JSON.parse(readFileSync(withFlag, "utf8"));
    const withoutJson = JSON.parse(readFileSync(without, "utf8"));
    expect(withoutJson.comparison).toBeUndefined();
    const c = withJson.comparison;
    expect(c.hindsight.planner_ratio).toBeCloseTo(
      withJson.planner.gpu_hours.total / c.hindsight.gpu_hours,
      12,
    );
    expect(c.cheapest_static.planner_ratio).toBeCloseTo(
      withJson.planner.gpu_hours.total / c.cheapest_static.gpu_hours,
      12,
    );
    expect(c.hindsight.gpu_hours).toBeLessThanOrEqual(c.cheapest_static.gpu_hours);
    // Everything but the comparison (and wall time) is the run without the flag.
    for (const key of ["planner", "request_count_completed", "ttft_avg_ms"]) {
      expect(withJson[key]).toEqual(withoutJson[key]);
    }
  });

  it("rejects bad hindsight configs with one line naming the config and field, exit code 2", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { scaling_policy: "oracle" },
        /--planner-config(:\d+)?: field "scaling_policy": must be one of dynamo\|kvsim\|hindsight/,
      ],
      [
        { scaling_policy: "hindsight", hindsight_window: 0 },
        /--planner-config(:\d+)?: field "hindsight_window": must be in \(0, 1000000\] \(or null for the load interval\) \(got 0\)/,
      ],
      [
        { scaling_policy: "hindsight", hindsight_window: -5 },
        /field "hindsight_window": must be in \(0, 1000000\].*\(got -5\)/,
      ],
      [
        { scaling_policy: "hindsight", sla_attainment_target: 0 },
        /field "sla_attainment_target": must be in \(0, 1\]/,
      ],
      [
        { scaling_policy: "hindsight", sla_attainment_target: 1.5 },
        /field "sla_attainment_target": must be in \(0, 1\]/,
      ],
      [
        { scaling_policy: "hindsight", ttft: 1, max_gpu_budget: 2 },
        /planner config: field "sla_attainment_target": no cluster within max_gpu_budget 2 GPUs meets TTFT <= 1 ms/,
      ],
      [
        { scaling_policy: "hindsight", max_gpu_budget: -1 },
        /field "max_gpu_budget": the hindsight search needs a GPU budget/,
      ],
    ];
    for (const [extra, message] of cases) {
      const r = kvsim([...SYNTH, "--planner-config", plannerJson(extra)]);
      expect(r.code, JSON.stringify(extra)).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const flagOnly = kvsim([...SYNTH, "--compare-hindsight"]);
    expect(flagOnly.code).toBe(2);
    expect(flagOnly.stderr).toMatch(/--compare-hindsight needs --planner-config/);
  });
});
