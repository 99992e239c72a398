import { describe, expect, it } from "vitest";
import { buildKvTiersSection } from "../../src/report/kv-tiers.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { buildReplaySyntheticTrace } from "../../src/trace/synth/replay-synthetic.js";

// The hindsight search snapshots a simulation, tries a pool size, and rolls back. A snapshot taken mid-run over
// workers with KV tiers must carry the tiers' state (host and disk blocks, link queues) and the collector's tier
// columns, so the restored copy finishes exactly as the original does.

const trace = buildReplaySyntheticTrace({
  inputTokens: 2048,
  outputTokens: 16,
  requestCount: 60,
  arrivalIntervalMs: 200,
  sharedPrefixRatio: 0.75,
  numPrefixGroups: 8,
  blockSize: 512,
});
const options = resolveClusterOptions(
  {
    numWorkers: 2,
    engineArgs: {
      num_gpu_blocks: 96,
      host_kv_blocks: 32,
      host_kv_bandwidth: 5,
      disk_kv_blocks: 512,
      disk_kv_bandwidth: 1,
      kv_bytes_per_token: 131072,
    },
  },
  trace.traceBlockSize,
);

describe("a simulation snapshot over KV tiers", () => {
  it("restores to a copy that finishes with the same tier accounting as the original", () => {
    const original = new ClusterSimulation(trace, options);
    original.advanceTo(6000);
    // Half-way, some requests have already onboarded from the tiers: there is state to carry.
    expect(original.collector.onboardedTokens.some((t) => t > 0)).toBe(true);
    const snapshot = original.snapshot();
    original.run();
    const copy = ClusterSimulation.restore(snapshot);
    copy.run();
    for (const column of [
      "reusedTokens",
      "hostTokens",
      "diskTokens",
      "onboardedTokens",
      "onboardMs",
    ] as const)
      expect(Array.from(copy.collector[column]), column).toEqual(Array.from(original.collector[column]));
    expect(buildKvTiersSection(copy.collector, trace, 131072)).toEqual(
      buildKvTiersSection(original.collector, trace, 131072),
    );
    expect(original.collector.diskTokens.some((t) => t > 0)).toBe(true);
  });
});
