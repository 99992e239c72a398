import { describe, expect, it } from "vitest";
import { enginesFor, ids, passAt, tokenIds } from "../support/engine-kit.js";

// FIFO preemption inside the running loop (docs/design.md#preemption): the victim is the oldest running
// request, its scheduled work is refunded to the budget, and the loop index still advances by one — so the
// request that slid into the current position is skipped this pass.
// Block size 16, num_gpu_blocks 7, budget 16 tokens, FIFO. Perf: prefill = B·(isl − prefix) ms, decode 5 ms.
//   P (id 0): isl 16 [7], osl 1    — leaves block h7 cached (inactive)
//   A (id 1): isl 1,  osl 50       — one partial block
//   B (id 2): isl 64, osl 1        — chunked 15/15/15/15… by the budget
//   C (id 3), D (id 4): isl 16 [7], osl 50 — fully cached prompts, admitted with 0 tokens when the budget is 0
// Pass 1 @0:  P: prefill 16, decode 5 → token at 21, completes; h7 and its fresh partial go inactive.
// Pass 2 @21: A (1 token) + B (15): B = 2, ⌊16/2⌋ = 8 → prefill 16; A ready → token at 42.
// Pass 3 @42: A 1, B 15 (budget 0); C admitted (reused 16, 0 tokens; break: budget 0): prefill(1,30,15) = 15;
//             ready A, C → tokens at 62 (C takes a fresh partial block: 6 blocks in use).
// Pass 4 @62: A 1, B 15 (budget 0), C blocked (budget 0) ends the loop; D admitted (reused 16): prefill 15;
//             ready A, D → 82. D's fresh partial evicts P's inactive partial: 7 of 7 blocks active.
// Pass 5 @82: A 1 (budget 15); B needs a 4th block: none free, none inactive → victim = front = A, refund
//             A's 1 token (budget 16 − 15 = 1), B scheduled. Index 1 → 2: running is now [B, C, D], so C is
//             skipped and D takes the refunded token. prefill(1, 60, 45) = 15; only D is ready → token at 102.
describe.each(["fast", "reference"] as const)("FIFO preemption in the running loop (%s engine)", (name) => {
  it("preempts the oldest, refunds its budget and skips the request that moved into the loop index", () => {
    const e = enginesFor({
      args: { num_gpu_blocks: 7, max_num_batched_tokens: 16, preemption_mode: "fifo" },
      requests: [
        { isl: 16, osl: 1, hashIds: [7] },
        { isl: 1, osl: 50, hashIds: [8] },
        { isl: 64, osl: 1, hashIds: ids(11, 4) },
        { isl: 16, osl: 50, hashIds: [7] },
        { isl: 16, osl: 50, hashIds: [7] },
      ],
    }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0]);
    expect([p1.endMs, tokenIds(p1)]).toEqual([21, [0]]);
    const p2 = passAt(e, 21, [1, 2]);
    expect([p2.endMs, tokenIds(p2), p2.admissions.map((a) => a.requestId)]).toEqual([42, [1], [1, 2]]);
    const p3 = passAt(e, 42, [3]);
    expect([p3.endMs, tokenIds(p3), p3.admissions]).toEqual([
      62,
      [1, 3],
      [{ requestId: 3, reusedTokens: 16 }],
    ]);
    const p4 = passAt(e, 62, [4]);
    expect([p4.endMs, tokenIds(p4), p4.admissions]).toEqual([
      82,
      [1, 4],
      [{ requestId: 4, reusedTokens: 16 }],
    ]);
    const p5 = passAt(e, 82);
    expect(p5.preempted).toEqual([1]);
    expect(tokenIds(p5)).toEqual([4]);
    expect(p5.endMs).toBe(102);
  });
});
