import { describe, expect, it } from "vitest";
import { enginesFor, type RecordingPassTime, runScenario } from "../support/engine-kit.js";

// Prefill time is priced once per pass over the entries with new prompt tokens (docs/design.md#engine-pass,
// step 5): B = their count, mean_isl = ⌊Σ(prefix + prompt)/B⌋, mean_prefix = ⌊Σ prefix/B⌋ (integer division).
describe.each(["fast", "reference"] as const)("prefill batch means (%s engine)", (name) => {
  it("floors the batch means: isl 100, 101, 50 → B 3, ⌊251/3⌋ = 83, prefix 0", () => {
    const s = {
      requests: [
        { isl: 100, osl: 1, hashIds: [1, 2, 3, 4, 5, 6, 7] },
        { isl: 101, osl: 1, hashIds: [11, 12, 13, 14, 15, 16, 17] },
        { isl: 50, osl: 1, hashIds: [21, 22, 23, 24] },
      ],
    };
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([[3, 83, 0]]);
    // 3·83 = 249 ms of prefill + 5 ms decode.
    expect(out.passes[0]?.endMs).toBe(254);
  });

  it("counts cached prefixes: X (prefix 32, prompt 18) + Y (prefix 0, prompt 45) → B 2, ⌊95/2⌋ = 47, ⌊32/2⌋ = 16", () => {
    // P @0 (isl 32 ids [1,2], osl 1) caches two blocks: prefill 32 + decode 5 → 37. X and Y arrive at 37.
    const s = {
      requests: [
        { isl: 32, osl: 1, hashIds: [1, 2], arrivalMs: 0 },
        { isl: 50, osl: 1, hashIds: [1, 2, 3, 4], arrivalMs: 37 },
        { isl: 45, osl: 1, hashIds: [5, 6, 7], arrivalMs: 37 },
      ],
    };
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    expect((e.passTime as RecordingPassTime).prefillCalls).toEqual([
      [1, 32, 0],
      [2, 47, 16],
    ]);
    // 2·(47 − 16) = 62 ms → 37 + 62 + 5 = 104.
    expect(out.passes[1]?.endMs).toBe(104);
  });
});
