// `kvsim replay --cells` over workers with host and disk KV tiers: the tier accounting travels through the cell
// threads (FlatBuffers shard results, the merge, the coordinator's transfer) exactly as reused tokens do — one cell
// writes the unsharded outputs byte for byte, and K cells write the same bytes on any number of threads.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dir, kvsim, withoutWallTime } from "../support/replay-cells-cli-kit.js";

const WORKLOAD = [
  "--input-tokens",
  "2048",
  "--output-tokens",
  "16",
  "--request-count",
  "60",
  "--shared-prefix-ratio",
  "0.75",
  "--num-prefix-groups",
  "8",
  "--arrival-interval-ms",
  "200",
  "--engine-args",
  JSON.stringify({
    num_gpu_blocks: 96,
    host_kv_blocks: 32,
    host_kv_bandwidth: 5,
    disk_kv_blocks: 512,
    disk_kv_bandwidth: 1,
    kv_bytes_per_token: 131072,
  }),
];

const PLANNER = JSON.stringify({
  mode: "agg",
  optimization_target: "throughput",
  load_adjustment_interval: 2,
  min_endpoint: 2,
});

function run(name: string, args: readonly string[]) {
  const json = join(dir, `${name}.json`);
  const records = join(dir, `${name}.jsonl`);
  const r = kvsim([...WORKLOAD, "-q", ...args, "--report-json", json, "--requests-out", records]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return { json: readFileSync(json, "utf8"), records: readFileSync(records, "utf8") };
}

describe("kvsim replay --cells with KV tiers", () => {
  it("--cells 1 writes the unsharded report (kv_tiers, planner's onboarding CDF) and records byte for byte", () => {
    for (const extra of [[], ["--planner-config", PLANNER]]) {
      const unsharded = run("tiers-unsharded", ["--num-workers", "2", ...extra]);
      const one = run("tiers-one-cell", ["--num-workers", "2", "--cells", "1", "--threads", "2", ...extra]);
      expect(withoutWallTime(one.json)).toBe(withoutWallTime(unsharded.json));
      expect(one.records).toBe(unsharded.records);
      const report = JSON.parse(unsharded.json) as {
        kv_tiers?: { onboarding: { requests: number } };
        planner?: { distributions: { onboard_ms_cdf?: [number, number][] } };
      };
      expect(report.kv_tiers?.onboarding.requests).toBeGreaterThan(0);
      expect(unsharded.records).toContain('"host_hit_tokens":');
      if (extra.length > 0) {
        // The CDF's last point is the slowest onboarding, at p = 1.
        expect(report.planner?.distributions.onboard_ms_cdf?.at(-1)?.[1]).toBe(1);
      }
    }
  });

  it("--cells 2 writes the same report and records on 1 and 2 threads, kv_tiers before the cells section", () => {
    const outs = ["1", "2"].map((threads) =>
      run(`tiers-cells-${threads}`, ["--num-workers", "4", "--cells", "2", "--threads", threads]),
    );
    const [a, b] = outs as [(typeof outs)[number], (typeof outs)[number]];
    expect(withoutWallTime(b.json)).toBe(withoutWallTime(a.json));
    expect(b.records).toBe(a.records);
    const keys = Object.keys(JSON.parse(a.json) as object);
    expect(keys.slice(-2)).toEqual(["kv_tiers", "cells"]);
  });
});
