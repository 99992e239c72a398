// `kvsim study kv-tiers`: the files are a function of the command alone (one thread = two threads, byte for
// byte); the matrix is deployments × disk × host sizes in order; a point with no host and no disk tier is the
// plain replay a user gets from `kvsim replay` with the same cluster (checked through the CLI, not the study's
// code); a tier reuses only from the tiers it has, and a static cluster reuses at least as much with a 16× host
// tier as with none; a bad --workloads is one line and exit code 2.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kvsim } from "../support/sweep-cli-kit.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const embedded = join(root, "src", "trace", "default-trace", "mooncake_conversation_trace.jsonl");

interface Point {
  id: string;
  deployment: string;
  host_multiple: number;
  disk: boolean;
  engine_args: Record<string, number>;
  reused_ratio: number;
  reused_ratio_g1: number;
  reused_ratio_g2: number;
  reused_ratio_g3: number;
  p50_ttft_ms: number;
  p99_ttft_ms: number;
  onboarding: { requests: number; p99_ms: number | null; bytes: number };
  gpu_hours: number;
  mean_decode_replicas: number;
}

describe("kvsim study kv-tiers --quick --workloads conversation", () => {
  const dirs = [mkdtempSync(join(tmpdir(), "kvsim-tiers-1-")), mkdtempSync(join(tmpdir(), "kvsim-tiers-2-"))];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const run = (dir: string, threads: number) =>
    kvsim([
      "study",
      "kv-tiers",
      "--quick",
      "--workloads",
      "conversation",
      "--quiet",
      "--out",
      dir,
      "--threads",
      `${threads}`,
    ]);
  let one = { code: null as number | null, stdout: "", stderr: "" };
  let two = one;
  let points: Point[] = [];
  beforeAll(() => {
    one = run(dirs[0] as string, 1);
    two = run(dirs[1] as string, 2);
    points = (
      JSON.parse(readFileSync(join(dirs[0] as string, "kv-tiers.json"), "utf8")) as { points: Point[] }
    ).points;
  }, 180_000);

  it("writes byte-identical files and prints the same table with 1 and 2 threads", () => {
    expect(one.stderr).toBe("");
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout).toContain("327,680 B/token");
    for (const f of ["kv-tiers.md", "kv-tiers.json", "kv-tiers.svg"]) {
      expect(readFileSync(join(dirs[1] as string, f), "utf8"), f).toBe(
        readFileSync(join(dirs[0] as string, f), "utf8"),
      );
    }
  });

  it("runs 24 points: 3 deployments × disk off, on × host 0, 1, 4, 16×", () => {
    expect(points.map((p) => p.id)).toEqual(
      ["static-agg", "planner-agg", "planner-disagg"].flatMap((d) =>
        ["no-disk", "disk"].flatMap((disk) =>
          [0, 1, 4, 16].map((h) => `conversation/${d}/host-${h}x/${disk}`),
        ),
      ),
    );
  });

  it("reuses only from the tiers a point has, and the tier shares add up to the reuse", () => {
    for (const p of points) {
      if (p.host_multiple === 0) expect(p.reused_ratio_g2, p.id).toBe(0);
      if (!p.disk) expect(p.reused_ratio_g3, p.id).toBe(0);
      if (p.host_multiple === 0 && !p.disk) {
        expect(p.onboarding, p.id).toEqual({ requests: 0, p50_ms: null, p99_ms: null, bytes: 0 });
      }
      expect(p.reused_ratio_g1 + p.reused_ratio_g2 + p.reused_ratio_g3, p.id).toBeCloseTo(p.reused_ratio, 12);
    }
  });

  it("a static cluster with a 16× host tier reuses at least as many prompt tokens as without tiers", () => {
    // An evicted block offloaded to host can be onboarded instead of recomputed; without tiers it is gone.
    const get = (id: string) => points.find((p) => p.id === id) as Point;
    const bare = get("conversation/static-agg/host-0x/no-disk");
    const host = get("conversation/static-agg/host-16x/no-disk");
    expect(host.reused_ratio).toBeGreaterThan(bare.reused_ratio);
    expect(host.reused_ratio_g2).toBeGreaterThan(0);
  });

  it("its static point without tiers is what `kvsim replay` gives on the same 400 requests and 3 workers", () => {
    const bare = points.find((p) => p.id === "conversation/static-agg/host-0x/no-disk") as Point;
    const lines = readFileSync(embedded, "utf8").split("\n").slice(0, 400);
    const trace = join(dirs[0] as string, "first-400.jsonl");
    writeFileSync(trace, `${lines.join("\n")}\n`);
    const r = kvsim([
      "replay",
      trace,
      "--num-workers",
      "3",
      "--engine-args",
      '{"num_gpu_blocks":8192}',
      "--json",
      "--quiet",
    ]);
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as {
      prefix_cache_reused_ratio: number;
      median_ttft_ms: number;
      p99_ttft_ms: number;
      duration_ms: number;
    };
    expect(bare.reused_ratio_g1).toBe(report.prefix_cache_reused_ratio);
    expect(bare.p50_ttft_ms).toBe(report.median_ttft_ms);
    expect(bare.p99_ttft_ms).toBe(report.p99_ttft_ms);
    expect(bare.gpu_hours).toBe((3 * report.duration_ms) / 3_600_000);
  });

  it("rejects an unknown workload with one line and exit code 2, writing nothing", () => {
    const out = join(dirs[0] as string, "never");
    const r = kvsim(["study", "kv-tiers", "--quick", "--workloads", "conversation,bursty", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      'kvsim study kv-tiers: --workloads: unknown workload "bursty" (one of conversation, synthetic, shared-prefix)',
    ]);
    expect(existsSync(out)).toBe(false);
  });
});
