import { describe, expect, it } from "vitest";
import { enginesFor, type RecordingPassTime, runScenario } from "../support/engine-kit.js";

// enable_prefix_caching = false (docs/design.md#prefix-caching): every full block gets an identity of its
// own, so identical prompts share nothing, and KV publishing is off (no events).
describe.each(["fast", "reference"] as const)("prefix caching disabled (%s engine)", (name) => {
  it("recomputes an identical prompt and publishes no events", () => {
    const s = {
      args: { enable_prefix_caching: false },
      requests: [
        { isl: 32, osl: 20, hashIds: [1, 2], arrivalMs: 0 },
        { isl: 32, osl: 1, hashIds: [1, 2], arrivalMs: 500 },
      ],
    };
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    expect(out.requests[1]?.admissions).toEqual([{ atMs: 500, reusedTokens: 0 }]);
    expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([
      [1, 32, 0],
      [1, 32, 0],
    ]);
    expect(out.passes.every((p) => p.events.length === 0)).toBe(true);
  });
});
