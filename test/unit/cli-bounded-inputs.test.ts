import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveThreads } from "../../src/cli/load-trace.js";
import { sweepPoints } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import type { Stage } from "../../src/sim/cluster/stage.js";
import { applyTargetCount, type ScalingHost } from "../../src/sim/cluster/stage-scaling.js";
import { runInProcess } from "../support/cli-io-kit.js";

// Issue 14's extreme inputs (docs/limits.md): each ends at once with one line naming the flag or field and its
// range, or the memory it would need and the budget, exit 2 — no RangeError, no NaN in a report, no run that
// fills memory or never ends.
const TRACE = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvsim-bounds-"));
const SMALL_BUDGET = { KVSIM_MEMORY_BUDGET: "200M" };

async function refused(argv: readonly string[], expected: string, env: NodeJS.ProcessEnv = {}) {
  const r = await runInProcess(argv, env);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(r.stderr.startsWith(expected), r.stderr).toBe(true);
}

const engine = (args: object) => ["replay", TRACE, "--quiet", "--engine-args", JSON.stringify(args)];

describe("bounded inputs", () => {
  it.each([
    [
      engine({ num_gpu_blocks: 1e15 }),
      'kvsim: --engine-args: field "num_gpu_blocks": must be an integer in 1..16777216',
    ],
    [
      engine({ speedup_ratio: 1e308 }),
      'kvsim: --engine-args: field "speedup_ratio": must be <= 0 (unscaled) or a number in [0.001, 1000000]',
    ],
    [
      engine({ decode_speedup_ratio: 1e-300 }),
      'kvsim: --engine-args: field "decode_speedup_ratio": must be <= 0',
    ],
    [["replay", TRACE, "--num-workers", "100000"], "kvsim: --num-workers: 100000 must be in 1..10000"],
    [
      ["replay", TRACE, "--arrival-speedup-ratio", "1e-300"],
      "kvsim: --arrival-speedup-ratio: 1e-300 must be in [0.001, 1000000]",
    ],
    [
      ["replay", TRACE, "--planner-config", '{"mode":"agg","min_endpoint":100000,"max_gpu_budget":-1}'],
      'kvsim: --planner-config:1: field "min_endpoint": must be an integer in 0..10000 (got 100000)',
    ],
    [
      ["trace", "synth", "--duration", "1e12", "-o", "-"],
      "kvsim: --duration: 1e12 must be in (0, 1000000000]",
    ],
    [
      ["trace", "synth", "--duration", "1e9", "-o", "-"],
      "kvsim: trace synth: --duration: 1000000000 s at this rate makes about 1000000000 requests, more than the cap of 50000000",
    ],
  ])("%j", async (argv, expected) => {
    await refused(argv, expected);
  });

  it("names a prompt no pass can schedule (max_num_batched_tokens below it, chunked prefill off)", async () => {
    await refused(
      // Caching off: with it, request 0's blocks make request 1's uncached part fit the budget (and it runs).
      engine({ max_num_batched_tokens: 700, enable_chunked_prefill: false, enable_prefix_caching: false }),
      'kvsim: engine args: field "max_num_batched_tokens": request 1 (line 2) has a 1025-token prompt, more than ' +
        "max_num_batched_tokens 700, and enable_chunked_prefill is false, so no pass of the agg pool can schedule it",
    );
  });

  it("refuses a replay, a sharded replay and a synthesis whose memory estimate exceeds the budget", async () => {
    // 1,000 workers × 16,384 blocks: 80 MB + 1,000 × (80 kB + 16,384 × 50 B) + … ≈ 980 MB > 200 MB.
    await refused(
      ["replay", TRACE, "--num-workers", "1000", "--quiet"],
      "kvsim: this replay (agg: 1000 workers × 16384 KV blocks; 6 requests) needs about 980 MB of memory, more " +
        "than the 200 MB budget (KVSIM_MEMORY_BUDGET)",
      SMALL_BUDGET,
    );
    // 4 cells on 4 threads: 80 MB + 5 extra threads × 40 MB + 4 × (80 kB + 16,384 × 50 B) + 16,384 × 70 B
    // + a few kB of requests = 284.8 MB.
    await refused(
      ["replay", TRACE, "--num-workers", "4", "--cells", "4", "--threads", "4", "--quiet"],
      "kvsim: this replay (agg: 4 workers × 16384 KV blocks; 6 requests) needs about 285 MB of memory",
      SMALL_BUDGET,
    );
    // 1,000,000 fixed 2048-token prompts: 80 MB + 10^6 × 80 B + 5 × 10^6 ids × 20 B = 260 MB.
    await refused(
      ["trace", "synth", "--requests", "1000000", "--isl", "2048", "-o", join(dir, "never.jsonl")],
      "kvsim: trace synth (about 1000000 requests, 5000000 hash ids) needs about 260 MB of memory",
      SMALL_BUDGET,
    );
  });

  it("--allow-large-memory runs anyway", async () => {
    const r = await runInProcess(["replay", TRACE, "--quiet", "--json", "--allow-large-memory"], {
      KVSIM_MEMORY_BUDGET: "1M",
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).completed_requests).toBe(6);
  });

  it("refuses a 10^9-point grid before reading traces or expanding it, unless --max-points allows it", async () => {
    const grid = join(dir, "huge.yaml");
    const list = (n: number, f: (i: number) => number) =>
      `[${Array.from({ length: n }, (_, i) => f(i)).join(", ")}]`;
    writeFileSync(
      grid,
      `workers: ${list(1000, (i) => i + 1)}\nseeds: ${list(1000, (i) => i)}\narrival_speedup_ratios: ${list(1000, (i) => 1 + i / 1000)}\n`,
    );
    await refused(
      ["sweep", "--grid", grid, "--out", join(dir, "never")],
      "kvsim sweep: the grid expands to 1000000000 points, more than --max-points 100000",
    );
    await refused(
      ["sweep", "--grid", grid, "--out", join(dir, "never"), "--shard", "0/4", "--max-points", "1000"],
      "kvsim sweep: the grid expands to 1000000000 points (250000000 in slice 0/4), more than --max-points 1000",
    );
    await refused(
      ["sweep", "--grid", grid, "--max-points", "0"],
      "kvsim: --max-points: 0 must be in 1..100000000",
    );
  });

  it("lists points lazily: the first of a 10^9-point grid come without building the rest", () => {
    const huge = sweepGridFromObject({
      workers: Array.from({ length: 1000 }, (_, i) => i + 1),
      seeds: Array.from({ length: 1000 }, (_, i) => i),
      arrival_speedup_ratios: Array.from({ length: 1000 }, (_, i) => 1 + i / 1000),
    });
    const first: string[] = [];
    for (const p of sweepPoints(huge)) {
      first.push(`${p.index} ${p.id}`);
      if (first.length === 3) break;
    }
    expect(first).toEqual(["0 agg1/x1/s0", "1 agg1/x1/s1", "2 agg1/x1/s2"]);
  });

  it("--list prints every point of a slice, in grid order", async () => {
    const grid = join(dir, "small.yaml");
    writeFileSync(grid, "workers: [1, 2]\nseeds: [0, 1, 2]\n");
    const r = await runInProcess(["sweep", "--grid", grid, "--list", "--shard", "1/2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1\tagg1/s1\n3\tagg2/s0\n5\tagg2/s2\n");
  });

  it("refuses a sweep whose threads together would exceed the budget", async () => {
    const grid = join(dir, "wide.yaml");
    writeFileSync(grid, `traces: [${JSON.stringify(TRACE)}]\nworkers: [1, 500]\n`);
    await refused(
      ["sweep", "--grid", grid, "--out", join(dir, "never"), "--threads", "2", "--quiet"],
      'kvsim: this sweep (2 points on 2 thread(s), the largest "agg500") needs about',
      SMALL_BUDGET,
    );
  });
});

describe("trace reader threads", () => {
  it("reads with at most one thread per 64 KiB, so --threads 256 on a small trace starts one or two", () => {
    expect(resolveThreads(256, 72_498)).toBe(2); // ⌈72,498 / 65,536⌉
    expect(resolveThreads(256, 100)).toBe(1);
    expect(resolveThreads(4, 10 << 20)).toBe(4);
    expect(resolveThreads(256, 0)).toBe(1);
  });
});

describe("a planner without a budget", () => {
  it("cannot scale a pool past 10,000 workers: one line, before any worker is made", () => {
    const stage = { name: "decode", pool: {} } as unknown as Stage;
    const host = {} as unknown as ScalingHost;
    expect(() => applyTargetCount(host, stage, 10_001)).toThrow(
      'planner config: field "max_gpu_budget": the planner scaled the decode pool to 10001 workers; a simulated ' +
        "pool holds at most 10000 (docs/limits.md): set a GPU budget",
    );
  });
});
