import { describe, expect, it } from "vitest";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";
import { passAtMs, runTiered } from "../support/tier-engine-kit.js";

// Regression: a request waiting for its transfer holds GPU blocks without running. When the only running request's
// next token needed a block, it preempted itself instead of taking those blocks back; re-admitted in a zero-time
// pass, it lost its decode block again to the waiting request's renewed onboarding: passes of 0 ms forever.
// Worked by hand (block_size 16, 1 ms per new prompt token + 5 ms per decode step, 10^6 bytes per block, GPU 6
// blocks, host 16 blocks at 0.01 GB/s = 100 ms per block, no disk):
//   0 ms   H (3 blocks, osl 1) → 48 + 5 = 53; frees p_H, H3, H2, H1 (least recent first).
//   100 ms F (5 blocks, osl 1): 2 free slots, then p_H (gone), H3, H2, H1 (→ host) → 185; frees p_F, F5..F1.
//   200 ms R (1 block, osl 40): R1 and its decode block evict p_F (gone) and F5 → host [H3 H2 H1 F5] → 221.
//   221 ms W (arrived 210; H1 H2 H3 H4): H1..H3 in host, 4 evictable blocks, so all 3 come in: 300 ms → wake at
//          521. They evict F4 F3 F2: host [F5 F4 F3 F2], 5 of 6 blocks held. R decodes one token per 5 ms.
//   301 ms R's 33rd token (gen 17) takes a third block: F1 → host; the GPU is full.
//   376 ms R's gen 33 needs a fourth block, nothing is free or evictable. W only waits, so it gives its blocks back
//          (inactive, freed tail first: H3 H2 H1) and R takes H3's (→ host): token at 381, 4 blocks held.
//   381 ms W looks again: H1 H2 in the GPU (pinned), no room for H3, so it is scheduled with a 32-token GPU hit;
//          short of 2 blocks, it preempts R (an admission may preempt: docs/design.md#engine-pass) → 32 + 5 = 418.
//   418 ms R again: R1 still cached (16), its 33 generated tokens cost budget but no prefill time → 423.
const requests = [
  { isl: 48, osl: 1, hashIds: [1, 2, 3], arrivalMs: 0 },
  { isl: 80, osl: 1, hashIds: [11, 12, 13, 14, 15], arrivalMs: 100 },
  { isl: 16, osl: 40, hashIds: [21], arrivalMs: 200 },
  { isl: 64, osl: 1, hashIds: [1, 2, 3, 4], arrivalMs: 210 },
];
const names = {
  0: ["H1", "H2", "H3"],
  1: ["F1", "F2", "F3", "F4", "F5"],
  2: ["R1"],
  3: ["H1", "H2", "H3", "H4"],
};
const engineArgs = {
  num_gpu_blocks: 6,
  kv_bytes_per_token: 62_500,
  host_kv_blocks: 16,
  host_kv_bandwidth: 0.01,
};

describe("a running request short of a decode block takes back the blocks of a request that only waits", () => {
  it("the waiting request's onboarding is under way when the GPU fills", () => {
    const run = runTiered(engineArgs, requests, names);
    expect(passAtMs(run, 100).host).toEqual(["H3", "H2", "H1"]);
    expect(passAtMs(run, 221)).toMatchObject({
      endMs: 226,
      wakesMs: [521],
      gpuHeld: 5,
      host: ["F5", "F4", "F3", "F2"],
    });
    expect(passAtMs(run, 296)).toMatchObject({ endMs: 301, gpuHeld: 6 });
  });

  it("the token is emitted with the waiting request's blocks instead of a self-preemption", () => {
    const run = runTiered(engineArgs, requests, names);
    expect(passAtMs(run, 376)).toMatchObject({
      endMs: 381,
      tokens: [2],
      gpuHeld: 4,
      host: ["F5", "F4", "F3", "F2", "F1", "H3"],
    });
    const w = passAtMs(run, 381);
    expect(w.endMs).toBe(418);
    expect(w.admits).toEqual([{ id: 3, reusedTokens: 32, hostTokens: 0, diskTokens: 0, onboardMs: 0 }]);
    expect(passAtMs(run, 418)).toMatchObject({ endMs: 423, tokens: [2] });
    // R: one preemption (W's admission at 381), none at 376.
    expect(run.passes.flatMap((p) => p.preempts)).toEqual([2]);
    expect(w.preempts).toEqual([2]);
    // R's last token: gen 33 at 381, then 7 more after re-admission at 418 → 423 + 6 × 5 = 453.
    expect(run.passes.at(-1)?.endMs).toBe(453);
  });

  it("the cluster replays it to the end with invariants checked", () => {
    const sim = new ClusterSimulation(
      tinyTrace(requests, 16),
      resolveClusterOptions(
        { numWorkers: 1, checkInvariants: true, engineArgs: { block_size: 16, ...engineArgs } },
        16,
      ),
    );
    sim.run();
    expect(sim.completed).toBe(requests.length);
  });
});
