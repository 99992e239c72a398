import { describe, expect, it } from "vitest";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";
import { passAtMs, runTiered } from "../support/tier-engine-kit.js";

// Regression: requests waiting for onboarded KV hold GPU blocks without running. Two of them could pin the whole
// pool and wait for each other's blocks forever — a dead end on a valid config (each request fits a worker alone).
// Worked by hand (block_size 16, 1 ms per new prompt token + 5 ms per decode step, 10^6 bytes per block, GPU 6
// blocks, host 8 blocks at 0.1 GB/s = 10 ms per block, no disk):
//   0 ms P (2 blocks) → 37, LRU p_P P2 P1 and 3 free slots. 100 ms Q (5 blocks): 3 free slots, then p_P and P2 (→ host)
//   go; its decode block evicts P1 (→ host) → 185. 200 ms F (5 blocks + decode block) evicts p_Q and Q5..Q1 into host:
//   host [P2, P1, Q5, Q4, Q3, Q2, Q1] → 285.
//   300 ms P' = P1 P2 + 1 block and Q' = Q arrive. P' onboards P1 P2 (room 6; 20 ms → 320), evicting p_F and F5.
//   Q' finds 4 evictable blocks (F4..F1) for its 5-block hit: onboards Q1..Q4 behind P' on the link (40 ms → 360).
//   Now P' holds 2 blocks and Q' 4: the whole GPU, nothing running. At 320 P' needs a third block; before the fix
//   it blocked there for good (and Q', behind it, could not be admitted at 360 either).
const requests = [
  { isl: 32, osl: 1, hashIds: [1, 2], arrivalMs: 0 },
  { isl: 80, osl: 1, hashIds: [21, 22, 23, 24, 25], arrivalMs: 100 },
  { isl: 80, osl: 1, hashIds: [31, 32, 33, 34, 35], arrivalMs: 200 },
  { isl: 48, osl: 1, hashIds: [1, 2, 9], arrivalMs: 300 },
  { isl: 80, osl: 1, hashIds: [21, 22, 23, 24, 25], arrivalMs: 300 },
];
const engineArgs = {
  block_size: 16,
  num_gpu_blocks: 6,
  kv_bytes_per_token: 62_500,
  host_kv_blocks: 8,
  host_kv_bandwidth: 0.1,
};

describe("requests waiting for onboarded KV cannot pin the GPU into a dead end", () => {
  it("two onboarding requests that hold every GPU block both get their first token", () => {
    const run = runTiered(engineArgs, requests, { 1: ["Q1", "Q2", "Q3", "Q4", "Q5"] });
    expect(passAtMs(run, 200).host.slice(2)).toEqual(["Q5", "Q4", "Q3", "Q2", "Q1"]);
    expect(passAtMs(run, 300)).toMatchObject({ endMs: 300, admits: [], wakesMs: [320, 360], gpuHeld: 6 });
    expect(run.stuck).toBe(false);
    expect(run.firstTokenMs.every((t) => t > 0)).toBe(true);
    // P' is admitted as soon as its blocks land, with its host hit: Q' gave its blocks back instead.
    expect(passAtMs(run, 320).admits[0]).toEqual({
      id: 3,
      reusedTokens: 32,
      hostTokens: 32,
      diskTokens: 0,
      onboardMs: 20,
    });
  });

  it("the cluster replays the trace to the end with invariants checked", () => {
    const sim = new ClusterSimulation(
      tinyTrace(requests, 16),
      resolveClusterOptions({ numWorkers: 1, checkInvariants: true, engineArgs }, 16),
    );
    sim.run();
    expect(sim.completed).toBe(requests.length);
  });
});
