import { totalmem } from "node:os";
import { describe, expect, it } from "vitest";
import {
  checkMemory,
  formatBytes,
  memoryBudget,
  replayMemoryBytes,
  sweepMemoryBytes,
  synthMemoryBytes,
} from "../../src/parallel/memory-estimate.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { InputError } from "../../src/util/errors.js";

// docs/limits.md#memory: the estimate is a sum of measured per-item costs; these cases restate them by hand
// (80 MB base; 1 kB per request; 16 B per hash id; per worker 80 kB + 50 B per block; a KV-routed pool's index
// 70 B × one worker's blocks; 100 B per block the trace can fill; 40 MB per extra thread; synthesis 80 B per
// row + 20 B per id; a sweep 4 kB per point).
const trace = { count: 10, hashIds: 20, tokens: 6400 };

describe("memory estimate", () => {
  it("adds up a replay: base, requests, ids, workers and blocks, the KV index, the blocks the trace can fill", () => {
    const options = resolveClusterOptions({ numWorkers: 4, engineArgs: { num_gpu_blocks: 1000 } }, 512);
    // Fillable blocks: 6400 tokens / 64 + 10 requests = 110 (< 4 × 1000).
    const bytes = 80e6 + 10 * 1024 + 20 * 16 + 4 * (80e3 + 1000 * 50) + 1000 * 70 + 110 * 100;
    expect(replayMemoryBytes({ options, trace })).toBe(bytes);
    // Two extra threads, and a planner floor of 6 workers per pool.
    const floor = 80e6 + 2 * 40e6 + 10 * 1024 + 20 * 16 + 6 * (80e3 + 1000 * 50) + 1000 * 70 + 110 * 100;
    expect(replayMemoryBytes({ options, trace, extraThreads: 2, workersAtLeast: 6 })).toBe(floor);
  });

  it("gives a disagg decode pool no KV index, and caps filled blocks at what the pools hold", () => {
    const options = resolveClusterOptions(
      {
        mode: "disagg",
        numPrefillWorkers: 1,
        numDecodeWorkers: 2,
        routerMode: "round_robin",
        prefillEngineArgs: { num_gpu_blocks: 50 },
        decodeEngineArgs: { num_gpu_blocks: 30 },
      },
      512,
    );
    // Round robin: no index at all. Prefill fills min(1 × 50, 110) = 50 blocks; decode min(2 × 30, 110) = 60.
    const bytes = 80e6 + 10 * 1024 + 20 * 16 + (80e3 + 50 * 50) + 50 * 100 + 2 * (80e3 + 30 * 50) + 60 * 100;
    expect(replayMemoryBytes({ options, trace })).toBe(bytes);
  });

  it("adds host/disk tiers to agg and prefill pools only: a reserved table per worker, 60 B per block they can hold", () => {
    const tiers = {
      num_gpu_blocks: 50,
      kv_bytes_per_token: 1000,
      host_kv_blocks: 30,
      host_kv_bandwidth: 10,
      disk_kv_blocks: 40,
      disk_kv_bandwidth: 1,
    };
    const options = resolveClusterOptions(
      {
        mode: "disagg",
        numPrefillWorkers: 1,
        numDecodeWorkers: 2,
        routerMode: "round_robin",
        engineArgs: tiers,
      },
      512,
    );
    // As above (prefill fills 50 blocks, decode min(2 × 50, 110) = 100), plus the prefill worker's tiers: a table
    // for min(70, 2^18) entries at 16 B, and min(1 × 70, 110) = 70 tier blocks at 60 B. Decode: no tiers.
    const plain = 80e6 + 10 * 1024 + 20 * 16 + (80e3 + 50 * 50) + 50 * 100 + 2 * (80e3 + 50 * 50) + 100 * 100;
    expect(replayMemoryBytes({ options, trace })).toBe(plain + 70 * 16 + 70 * 60);
    // A huge host tier on 3 agg workers: the table reserve stops at 2^18 entries, held blocks at the trace's 110.
    const agg = resolveClusterOptions(
      { numWorkers: 3, routerMode: "round_robin", engineArgs: { ...tiers, host_kv_blocks: 1e6 } },
      512,
    );
    const aggPlain = 80e6 + 10 * 1024 + 20 * 16 + 3 * (80e3 + 50 * 50) + 110 * 100;
    expect(replayMemoryBytes({ options: agg, trace })).toBe(aggPlain + 3 * 2 ** 18 * 16 + 110 * 60);
  });

  it("adds up synthesis and a sweep", () => {
    expect(synthMemoryBytes(1e6, 4e6)).toBe(80e6 + 1e6 * 80 + 4e6 * 20);
    expect(sweepMemoryBytes({ points: 1000, threads: 2, traces: trace, largestPointBytes: 5e6 })).toBe(
      80e6 + 20 * 16 + 1000 * 4096 + 2 * (40e6 + 5e6),
    );
  });

  it("refuses above the budget with one line naming what, how much, the budget and the override", () => {
    const budget = memoryBudget({ KVSIM_MEMORY_BUDGET: "1.5G" });
    expect(budget).toEqual({ bytes: 1.5e9, source: "KVSIM_MEMORY_BUDGET" });
    expect(() => checkMemory(1.5e9, "x", budget, false)).not.toThrow();
    let caught: unknown = null;
    try {
      checkMemory(5.6e9, "this replay (agg: 1 worker × 16777216 KV blocks)", budget, false);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toBe(
      "this replay (agg: 1 worker × 16777216 KV blocks) needs about 5.6 GB of memory, more than the 1.5 GB " +
        "budget (KVSIM_MEMORY_BUDGET); make it smaller, or pass --allow-large-memory to run anyway " +
        "(docs/limits.md#memory)",
    );
    expect(() => checkMemory(5.6e9, "x", budget, true)).not.toThrow();
  });

  it("reads the budget override in bytes or with a suffix, and refuses nonsense", () => {
    expect(memoryBudget({ KVSIM_MEMORY_BUDGET: "512M" }).bytes).toBe(512e6);
    expect(memoryBudget({ KVSIM_MEMORY_BUDGET: "1000000" }).bytes).toBe(1e6);
    expect(memoryBudget({ KVSIM_MEMORY_BUDGET: "2GiB" }).bytes).toBe(2e9);
    expect(() => memoryBudget({ KVSIM_MEMORY_BUDGET: "lots" })).toThrow(
      'KVSIM_MEMORY_BUDGET: "lots" is not a byte count (e.g. 8G, 512M, 1000000)',
    );
    // Without it: at most 80 % of the machine.
    const machine = memoryBudget({});
    expect(machine.bytes).toBeGreaterThan(0);
    expect(machine.bytes).toBeLessThanOrEqual(0.8 * totalmem());
  });

  it("formats sizes in decimal units", () => {
    expect([formatBytes(999), formatBytes(1500), formatBytes(5.6e9), formatBytes(123e6)]).toEqual([
      "999 B",
      "1.5 kB",
      "5.6 GB",
      "123 MB",
    ]);
  });
});
