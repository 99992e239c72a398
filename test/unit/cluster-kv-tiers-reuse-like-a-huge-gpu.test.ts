import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";

// A tier as big as the extra GPU memory, at near-infinite bandwidth, must win back what that memory would: on the
// first 2,000 requests of the embedded Mooncake conversation trace, one agg worker, arrivals at half speed, the
// default 16,384-block GPU reuses a few % of prompt tokens, a 216,384-block GPU several times more. A 16,384-block
// GPU with a 200,000-block host tier at 10^6 GB/s (every transfer ~0 ms), or with a small 2,048-block host tier
// over a 200,000-block disk tier, holds every block the huge GPU holds, one tier down; only the last block of a
// running request (never offloaded while partial) and blocks dropped from a full GPU at once differ. So its reuse
// is within a few % of the huge GPU's.
const TRACE = new URL("../../src/trace/default-trace/mooncake_conversation_trace.jsonl", import.meta.url);
const text = readFileSync(TRACE, "utf8").split("\n").slice(0, 2000).join("\n");
const trace = parseTraceJsonl(text, "conversation-2000.jsonl").columns;
const BYTES = { kv_bytes_per_token: 131_072 };
const FAST = 1e6;

function reusedShare(engineArgs: Record<string, unknown>): number {
  const sim = new ClusterSimulation(
    trace,
    resolveClusterOptions({ numWorkers: 1, arrivalSpeedupRatio: 0.5, engineArgs }, trace.traceBlockSize),
  );
  sim.run();
  let reused = 0;
  let input = 0;
  for (let id = 0; id < trace.count; id++) {
    reused += sim.collector.reusedTokens[id] as number;
    input += trace.inputTokens[id] as number;
  }
  expect(sim.completed).toBe(trace.count);
  return reused / input;
}

describe("a huge fast lower tier reuses as much as an equally huge GPU", () => {
  const gpuOnly = reusedShare({ num_gpu_blocks: 16_384 });
  const hugeGpu = reusedShare({ num_gpu_blocks: 216_384 });

  it("the GPU cache alone is under pressure (the tiers have something to win)", () => {
    expect(hugeGpu).toBeGreaterThan(3 * gpuOnly);
  });

  it("a 200,000-block host tier", () => {
    const host = reusedShare({
      num_gpu_blocks: 16_384,
      host_kv_blocks: 200_000,
      host_kv_bandwidth: FAST,
      ...BYTES,
    });
    expect(Math.abs(host - hugeGpu)).toBeLessThan(0.03 * hugeGpu);
  });

  it("a small host tier over a 200,000-block disk tier", () => {
    const disk = reusedShare({
      num_gpu_blocks: 16_384,
      host_kv_blocks: 2_048,
      host_kv_bandwidth: FAST,
      disk_kv_blocks: 200_000,
      disk_kv_bandwidth: FAST,
      ...BYTES,
    });
    expect(Math.abs(disk - hugeGpu)).toBeLessThan(0.03 * hugeGpu);
  });
});
