import { describe, expect, it } from "vitest";
import { enginesFor, passAt } from "../support/engine-kit.js";

// The pass whose chunk completes a prompt also emits its first token (docs/design.md#engine-pass, step 6):
// TTFT includes one decode step. A request with max_output_tokens = 1 completes on that first emission.
// Block size 16, no budget limit. Perf: prefill = B·(isl − prefix), decode 5.
describe.each(["fast", "reference"] as const)("first token timing (%s engine)", (name) => {
  it("emits the first token at the end of the prefill pass, then one token per decode pass", () => {
    // isl 20, osl 3: pass @0: prefill 20 + decode 5 → 25; then 30; then 35 (completed).
    const e = enginesFor({ requests: [{ isl: 20, osl: 3, hashIds: [1, 2] }] }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0]);
    const p2 = passAt(e, p1.endMs);
    const p3 = passAt(e, p2.endMs);
    expect([p1.endMs, p2.endMs, p3.endMs]).toEqual([25, 30, 35]);
    expect([p1, p2, p3].map((p) => p.tokens.map((t) => t.completed))).toEqual([[false], [false], [true]]);
    expect(e.engine.hasWork()).toBe(false);
  });

  it("completes a max_output_tokens = 1 request on its first token", () => {
    const e = enginesFor({ requests: [{ isl: 20, osl: 1, hashIds: [1, 2] }] }).find((x) => x.name === name)!;
    const p = passAt(e, 0, [0]);
    expect(p.tokens).toEqual([{ requestId: 0, completed: true, handoffMs: 0 }]);
    expect(p.endMs).toBe(25);
    expect(e.engine.hasWork()).toBe(false);
  });
});
