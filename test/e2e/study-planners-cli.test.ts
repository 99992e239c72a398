// `kvsim study planners`: the files are a function of the command alone (one thread = two threads, byte for
// byte); the study's dynamo row is the replay a user gets from `kvsim replay --planner-config` with the same
// settings (checked through the CLI, not the study's code); hindsight meets its target at no more GPU-hours than
// the static cluster it verified; a bad --workloads is one line and exit code 2.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const mooncake = join(root, "..", "shared", "traces", "mooncake_synthetic_trace.jsonl");

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Point {
  id: string;
  mode: string;
  scaling_policy: string;
  planner_config: Record<string, unknown>;
  gpu_hours: number;
  ttft_sla_attainment: number;
  itl_sla_attainment: number;
  replica_transitions: number;
  cheapest_static?: { gpu_hours: number; ttft_sla_attainment: number; itl_sla_attainment: number };
}

describe("kvsim study planners --quick --workloads synthetic", () => {
  const dirs = [
    mkdtempSync(join(tmpdir(), "kvsim-planners-1-")),
    mkdtempSync(join(tmpdir(), "kvsim-planners-2-")),
  ];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const run = (dir: string, threads: number) =>
    kvsim([
      "study",
      "planners",
      "--quick",
      "--workloads",
      "synthetic",
      "--quiet",
      "--out",
      dir,
      "--threads",
      `${threads}`,
    ]);
  let one = { code: null as number | null, stdout: "", stderr: "" };
  let two = one;
  beforeAll(() => {
    one = run(dirs[0] as string, 1);
    two = run(dirs[1] as string, 2);
  }, 180_000);

  it("writes byte-identical files and prints the same table with 1 and 2 threads", () => {
    expect(one.stderr).toBe("");
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    for (const f of ["planners.md", "planners.json", "planners.svg"]) {
      expect(readFileSync(join(dirs[1] as string, f), "utf8"), f).toBe(
        readFileSync(join(dirs[0] as string, f), "utf8"),
      );
    }
  });

  it("runs 10 points (2 modes × dynamo on/off, kvsim on/off, hindsight) and a static row per hindsight", () => {
    const doc = JSON.parse(readFileSync(join(dirs[0] as string, "planners.json"), "utf8")) as {
      points: Point[];
    };
    expect(doc.points.map((p) => p.id)).toEqual(
      ["agg", "disagg"].flatMap((m) =>
        ["dynamo/on", "dynamo/off", "kvsim/on", "kvsim/off", "hindsight"].map((p) => `synthetic/${m}/${p}`),
      ),
    );
    expect(one.stdout.match(/static \d/g)).toHaveLength(2);
  });

  it("hindsight meets its 95 % target at no more GPU-hours than the static cluster it verified", () => {
    const doc = JSON.parse(readFileSync(join(dirs[0] as string, "planners.json"), "utf8")) as {
      points: Point[];
    };
    for (const h of doc.points.filter((p) => p.scaling_policy === "hindsight")) {
      const s = h.cheapest_static as NonNullable<Point["cheapest_static"]>;
      expect(h.gpu_hours, h.id).toBeLessThanOrEqual(s.gpu_hours);
      expect(h.ttft_sla_attainment, h.id).toBeGreaterThanOrEqual(0.95);
      expect(h.itl_sla_attainment, h.id).toBeGreaterThanOrEqual(0.95);
      expect(s.ttft_sla_attainment, h.id).toBeGreaterThanOrEqual(0.95);
    }
  });

  it("its disagg dynamo row is what `kvsim replay --planner-config` gives on the same 200 requests from 2P+2D", () => {
    const doc = JSON.parse(readFileSync(join(dirs[0] as string, "planners.json"), "utf8")) as {
      points: Point[];
    };
    const point = doc.points.find((p) => p.id === "synthetic/disagg/dynamo/on") as Point;
    const lines = readFileSync(mooncake, "utf8").split("\n").slice(0, 200);
    const trace = join(dirs[0] as string, "first-200.jsonl");
    writeFileSync(trace, `${lines.join("\n")}\n`);
    const r = kvsim([
      "replay",
      trace,
      "--mode",
      "disagg",
      "--num-prefill-workers",
      "2",
      "--num-decode-workers",
      "2",
      "--planner-config",
      JSON.stringify(point.planner_config),
      "--json",
      "--quiet",
    ]);
    expect(r.stderr).toBe("");
    const planner = (
      JSON.parse(r.stdout) as { planner: { gpu_hours: { total: number }; replica_transitions: number } }
    ).planner;
    expect(point.gpu_hours).toBe(planner.gpu_hours.total);
    expect(point.replica_transitions).toBe(planner.replica_transitions);
  });

  it("rejects an unknown workload with one line and exit code 2, writing nothing", () => {
    const out = join(dirs[0] as string, "never");
    const r = kvsim(["study", "planners", "--quick", "--workloads", "synthetic,steady", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      'kvsim study planners: --workloads: unknown workload "steady" (one of conversation, synthetic, shared-prefix, bursty)',
    ]);
    expect(existsSync(out)).toBe(false);
  });
});
