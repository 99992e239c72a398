import { describe, expect, it } from "vitest";
import { enginesFor, passAt, type RecordingPassTime } from "../support/engine-kit.js";

// A decode worker (docs/design.md#disagg-handoff, step 3) charges no prefill time, but still allocates the
// prompt's KV, uses its own prefix cache, and chunks the prompt by the token budget. Block size 16, budget
// 16, decode step 5 ms.
//   R0 @0: isl 40, osl 2 → chunks 16, 16, 8 in three zero-time passes; the third makes R0 ready → token at 5;
//          second token at 10 (completed; its 3 blocks go inactive).
//   R1 @10: isl 40 with the same ids → cached 32 (local prefix cache) → one 8-token chunk → token at 15.
describe.each(["fast", "reference"] as const)("decode role (%s engine)", (name) => {
  it("allocates and chunks prompts at zero prefill time and reuses its local cache", () => {
    const e = enginesFor({
      role: "decode",
      args: { worker_type: "decode", max_num_batched_tokens: 16, num_gpu_blocks: 10 },
      requests: [
        { isl: 40, osl: 2, hashIds: [1, 2, 3] },
        { isl: 40, osl: 1, hashIds: [1, 2, 3] },
      ],
    }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0]);
    const p2 = passAt(e, 0);
    const p3 = passAt(e, 0);
    expect([p1, p2, p3].map((p) => [p.endMs, p.madeProgress, p.tokens.length])).toEqual([
      [0, true, 0],
      [0, true, 0],
      [5, true, 1],
    ]);
    // The prompt's KV is allocated even though nothing is priced: p counts 3 blocks = 48 tokens.
    expect((e.passTime as RecordingPassTime).decodeCalls[0]).toEqual([1, 48, 40, 160]);
    const p4 = passAt(e, 5);
    expect([p4.endMs, p4.tokens[0]?.completed]).toEqual([10, true]);
    const p5 = passAt(e, 10, [1]);
    expect(p5.admissions).toEqual([{ requestId: 1, reusedTokens: 32 }]);
    expect([p5.endMs, p5.tokens.length]).toEqual([15, 1]);
    expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([]);
  });
});
