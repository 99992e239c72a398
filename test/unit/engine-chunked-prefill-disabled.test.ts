import { describe, expect, it } from "vitest";
import { enginesFor, passAt } from "../support/engine-kit.js";

// With chunked prefill disabled (docs/design.md#chunked-prefill), a request whose remaining prompt exceeds
// the budget is Blocked, which also stops admission behind it; a cached prefix shrinks the remaining prompt.
// Block size 16, budget 32, chunking off. Perf: prefill = B·(isl − prefix), decode 5.
describe.each(["fast", "reference"] as const)("chunked prefill disabled (%s engine)", (name) => {
  it("blocks a 48-token prompt at budget 32, and the queue behind it, with a zero-time no-progress pass", () => {
    const e = enginesFor({
      args: { max_num_batched_tokens: 32, enable_chunked_prefill: false },
      requests: [
        { isl: 48, osl: 1, hashIds: [1, 2, 3] },
        { isl: 16, osl: 1, hashIds: [9] },
      ],
    }).find((x) => x.name === name)!;
    const p = passAt(e, 0, [0, 1]);
    expect([p.endMs, p.madeProgress, p.admissions.length, p.tokens.length]).toEqual([0, false, 0, 0]);
  });

  it("schedules a prompt equal to the budget, and a longer one once 32 of its tokens are cached", () => {
    // P (isl 32 = budget): prefill 32 + decode 5 → 37. R (isl 48, same first two blocks): remaining 16 ≤ 32.
    const e = enginesFor({
      args: { max_num_batched_tokens: 32, enable_chunked_prefill: false },
      requests: [
        { isl: 32, osl: 1, hashIds: [1, 2] },
        { isl: 48, osl: 1, hashIds: [1, 2, 3] },
      ],
    }).find((x) => x.name === name)!;
    expect(passAt(e, 0, [0]).endMs).toBe(37);
    const p = passAt(e, 37, [1]);
    expect(p.admissions).toEqual([{ requestId: 1, reusedTokens: 32 }]);
    expect(p.endMs).toBe(37 + 16 + 5);
  });
});
