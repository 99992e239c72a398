import { describe, expect, it } from "vitest";
import { kvsim, planner, small, withoutWallTime } from "../support/replay-cells-cli-kit.js";

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
