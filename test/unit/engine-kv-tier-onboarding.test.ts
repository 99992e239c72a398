import { describe, expect, it } from "vitest";
import { passAtMs, runTiered } from "../support/tier-engine-kit.js";

// Onboarding from the host and disk tiers (docs/design.md#kv-tiers), worked by hand on a tiny engine:
// block_size 16, pass time 1 ms per new prompt token + 5 ms per decode step (RecordingPassTime), and
// kv_bytes_per_token 62,500, so one block moves 16 × 62,500 = 1,000,000 bytes:
//   host link at 1 GB/s:   10^6 B ÷ 10^9 B/s = 1 ms per block
//   host link at 0.1 GB/s: 10 ms per block;  disk link at 0.1 GB/s: 10 ms per block
// Block names: A1 = request A's first prompt block, …; a request's partial (generated) block is never offloaded.
const BYTES = { kv_bytes_per_token: 62_500 };

describe("onboarding KV from the host and disk tiers", () => {
  // GPU 6 blocks, host 2 blocks at 1 GB/s, disk 8 blocks at 0.1 GB/s.
  //   0 ms   A (4 blocks, osl 1): prefill 64 + decode 5 → token at 69; frees its partial p_A, A4, A3, A2, A1
  //          (tail first, so the LRU is p_A, A4, A3, A2, A1), one slot still free.
  //   100 ms B (5 blocks, osl 1): B1 takes the free slot; B2..B5 evict p_A (gone), A4, A3, A2 → host holds 2, so A2
  //          pushes A4 to disk; the decode block evicts A1, which pushes A3 to disk: host [A2, A1], disk [A4, A3].
  //          Token at 100 + 80 + 5 = 185.
  //   200 ms A' = A's 4 blocks + A5: hit A1 A2 (host) A3 A4 (disk), nothing in the GPU; the GPU has 6 evictable
  //          blocks, so all 4 come in: host 2 blocks = 2 ms, disk 2 blocks = 20 ms, both links idle → lands at 220.
  //          The pass admits nothing and asks to be woken at 220. Taking the 4 blocks evicts p_B, B5, B4, B3:
  //          host [B4, B3] (B5 pushed to disk), disk [B5].
  //   220 ms A' is admitted with 64 tokens computed: prefill 80 − 64 = 16 ms, decode 5 → first token at 241.
  //          TTFT 41 ms, against 80 + 5 = 85 ms with no tiers (A's blocks gone: full recompute).
  const requests = [
    { isl: 64, osl: 1, hashIds: [1, 2, 3, 4], arrivalMs: 0 },
    { isl: 80, osl: 1, hashIds: [11, 12, 13, 14, 15], arrivalMs: 100 },
    { isl: 80, osl: 1, hashIds: [1, 2, 3, 4, 5], arrivalMs: 200 },
  ];
  const names = {
    0: ["A1", "A2", "A3", "A4"],
    1: ["B1", "B2", "B3", "B4", "B5"],
    2: ["A1", "A2", "A3", "A4", "A5"],
  };
  const tiers = {
    ...BYTES,
    num_gpu_blocks: 6,
    host_kv_blocks: 2,
    host_kv_bandwidth: 1,
    disk_kv_blocks: 8,
    disk_kv_bandwidth: 0.1,
  };

  it("evicted blocks go down to host, then to disk, least recent first", () => {
    const run = runTiered(tiers, requests, names);
    expect(passAtMs(run, 0).endMs).toBe(69);
    const b = passAtMs(run, 100);
    expect(b.endMs).toBe(185);
    expect([b.host, b.disk]).toEqual([
      ["A2", "A1"],
      ["A4", "A3"],
    ]);
  });

  it("a prompt whose prefix went to host and disk waits bytes ÷ bandwidth on each link, then prefills the rest", () => {
    const run = runTiered(tiers, requests, names);
    const start = passAtMs(run, 200);
    expect(start).toMatchObject({ endMs: 200, admits: [], tokens: [], wakesMs: [220] });
    expect([start.host, start.disk]).toEqual([["B4", "B3"], ["B5"]]);
    const admit = passAtMs(run, 220);
    expect(admit.admits).toEqual([
      { id: 2, reusedTokens: 64, hostTokens: 32, diskTokens: 32, onboardMs: 20 },
    ]);
    expect(admit.endMs).toBe(241);
    expect((run.firstTokenMs[2] as number) - 200).toBe(41);
  });

  it("shortens TTFT against the same engine without tiers, where the evicted prefix is recomputed", () => {
    const off = runTiered({ ...BYTES, num_gpu_blocks: 6 }, requests, names);
    expect(passAtMs(off, 200).admits).toEqual([
      { id: 2, reusedTokens: 0, hostTokens: 0, diskTokens: 0, onboardMs: 0 },
    ]);
    expect((off.firstTokenMs[2] as number) - 200).toBe(85);
  });

  // GPU 8 blocks, host 10 blocks at 0.1 GB/s (10 ms per block), no disk.
  //   0 ms P (2 blocks) → 37; 100 ms Q (3 blocks, from free slots) → 153; 200 ms F (7 blocks + decode block) takes
  //   the last free slot and evicts p_P, P2, P1, p_Q, Q3, Q2, Q1: host [P2, P1, Q3, Q2, Q1]; F's token at 317.
  //   400 ms P' = P + 1 block and Q' = Q + 1 block arrive together. P' onboards P1 P2: 2 blocks = 20 ms on the
  //     idle link → 420. Q' onboards Q1 Q2 Q3 behind it on the same link: starts at 420, 30 ms → 450.
  //   420 ms P' admitted (onboarding 20 ms): prefill 16 + decode 5 → 441. Q' is still waiting: stepped over.
  //   450 ms Q' admitted (onboarding 50 ms: 20 waiting for the link + 30 moving): 16 + 5 → 471.
  // With a link per transfer instead, Q' would have landed at 430 and started when the engine was free (441).
  it("two requests onboarding over one link queue first come, first served", () => {
    const run = runTiered(
      { ...BYTES, num_gpu_blocks: 8, host_kv_blocks: 10, host_kv_bandwidth: 0.1 },
      [
        { isl: 32, osl: 1, hashIds: [1, 2], arrivalMs: 0 },
        { isl: 48, osl: 1, hashIds: [21, 22, 23], arrivalMs: 100 },
        { isl: 112, osl: 1, hashIds: [31, 32, 33, 34, 35, 36, 37], arrivalMs: 200 },
        { isl: 48, osl: 1, hashIds: [1, 2, 9], arrivalMs: 400 },
        { isl: 64, osl: 1, hashIds: [21, 22, 23, 8], arrivalMs: 400 },
      ],
      { 0: ["P1", "P2"], 1: ["Q1", "Q2", "Q3"] },
    );
    expect(passAtMs(run, 200).host).toEqual(["P2", "P1", "Q3", "Q2", "Q1"]);
    expect(passAtMs(run, 400)).toMatchObject({ endMs: 400, admits: [], wakesMs: [420, 450] });
    const p = passAtMs(run, 420);
    expect(p.admits).toEqual([{ id: 3, reusedTokens: 32, hostTokens: 32, diskTokens: 0, onboardMs: 20 }]);
    expect(p.endMs).toBe(441);
    const q = passAtMs(run, 450);
    expect(q.admits).toEqual([{ id: 4, reusedTokens: 48, hostTokens: 48, diskTokens: 0, onboardMs: 50 }]);
    expect(q.endMs).toBe(471);
    expect([(run.firstTokenMs[3] as number) - 400, (run.firstTokenMs[4] as number) - 400]).toEqual([41, 71]);
  });

  // GPU 8 blocks, host 10 blocks at 0.1 GB/s, no disk.
  //   0 ms A (6 blocks) → 101. 200 ms F (7 blocks + decode block) evicts p_A, A6..A1: host [A6, A5, A4, A3, A2, A1];
  //     token at 317. 400 ms R (2 blocks, osl 3) evicts p_F, F7 (→ host) and F6 (→ host) for its decode block;
  //     first token at 400 + 32 + 5 = 437. R now holds 3 blocks; F5..F1 are the only evictable ones.
  //   437 ms A' = A + A7 arrives: its hit is A1..A6, all in host, but only 8 − 3 = 5 GPU blocks can be had without
  //     preempting R, so A1..A5 come in (50 ms → 487) and A6 stays in host; the 5 evict F5..F1 into host. The GPU is
  //     full: R's 3 blocks and A''s 5. R decodes on (442, then its last token at 447).
  //   487 ms A' admitted with 5 blocks (80 tokens): A6 is recomputed — allocating it afresh drops its host copy —
  //     along with A7: prefill 32 + decode 5 → 524 (TTFT 87). R's blocks (p_R, R2, R1) made the room: R2, R1 → host.
  it("a GPU that cannot hold the whole hit onboards only what fits; the rest is recomputed", () => {
    const run = runTiered(
      { ...BYTES, num_gpu_blocks: 8, host_kv_blocks: 10, host_kv_bandwidth: 0.1 },
      [
        { isl: 96, osl: 1, hashIds: [1, 2, 3, 4, 5, 6], arrivalMs: 0 },
        { isl: 112, osl: 1, hashIds: [31, 32, 33, 34, 35, 36, 37], arrivalMs: 200 },
        { isl: 32, osl: 3, hashIds: [41, 42], arrivalMs: 400 },
        { isl: 112, osl: 1, hashIds: [1, 2, 3, 4, 5, 6, 7], arrivalMs: 437 },
      ],
      {
        0: ["A1", "A2", "A3", "A4", "A5", "A6"],
        1: ["F1", "F2", "F3", "F4", "F5", "F6", "F7"],
        2: ["R1", "R2"],
      },
    );
    expect(passAtMs(run, 200).host).toEqual(["A6", "A5", "A4", "A3", "A2", "A1"]);
    expect(passAtMs(run, 400)).toMatchObject({
      endMs: 437,
      host: ["A6", "A5", "A4", "A3", "A2", "A1", "F7", "F6"],
    });
    const start = passAtMs(run, 437);
    expect(start).toMatchObject({ endMs: 442, admits: [], tokens: [2], wakesMs: [487], gpuHeld: 8 });
    expect(start.host).toEqual(["A6", "F7", "F6", "F5", "F4", "F3", "F2", "F1"]);
    expect(passAtMs(run, 442)).toMatchObject({ endMs: 447, tokens: [2] });
    const admit = passAtMs(run, 487);
    expect(admit.admits).toEqual([{ id: 3, reusedTokens: 80, hostTokens: 80, diskTokens: 0, onboardMs: 50 }]);
    expect(admit.endMs).toBe(524);
    expect(admit.host).toEqual(["F7", "F6", "F5", "F4", "F3", "F2", "F1", "R2", "R1"]);
    expect((run.firstTokenMs[3] as number) - 437).toBe(87);
  });
});
