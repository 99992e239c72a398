import { describe, expect, it } from "vitest";
import { fixed, uniform } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { constantRate } from "../../src/trace/synth/rate-profile.js";

function idsOf(t: ReturnType<typeof synthesizeTrace>, row: number): number[] {
  return Array.from(t.hashIds.subarray(t.hashOffsets[row] as number, t.hashOffsets[row + 1] as number));
}

describe("turn k+1 extends turn k's prompt and response", () => {
  it("a hand-worked 3-turn session over a 1024-token group prefix", () => {
    // Constant arrivals at 1/s: session 0 at 0 ms, session 1 at 1000 ms (3 turns each, 2 sessions = 6 rows).
    const t = synthesizeTrace({
      requests: 6,
      rateProfile: constantRate(1),
      arrival: "constant",
      prefixGroups: 1,
      prefixTokens: 1024,
      isl: fixed(600),
      osl: fixed(100),
      turns: fixed(3),
      thinkTimeMs: fixed(1500),
      traceBlockSize: 512,
    });
    // Turn inputs: 1024 + 600 = 1624; 1624 + 100 + 600 = 2324; 2324 + 100 + 600 = 3024.
    // Timestamps: s0 at 0, 1500, 3000; s1 at 1000, 2500, 4000 → file order s0t0, s1t0, s0t1, s1t1, s0t2, s1t2.
    expect(Array.from(t.arrivalMs)).toEqual([0, 1000, 1500, 2500, 3000, 4000]);
    expect(Array.from(t.inputTokens)).toEqual([1624, 1624, 2324, 2324, 3024, 3024]);
    expect(t.sessionNames).toEqual(["s0", "s1"]);
    expect(Array.from(t.sessionIndex)).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(t.delayMs).map((d) => (Number.isNaN(d) ? null : d))).toEqual([
      null,
      null,
      1500,
      1500,
      1500,
      1500,
    ]);
    // Blocks: 1624 → 4 (prefix blocks 0,1 shared by the group; 2,3 fresh). Turn 2 keeps floor(1624/512) = 3
    // blocks and adds ceil(2324/512) − 3 = 2 fresh; turn 3 keeps floor(2324/512) = 4 and adds 6 − 4 = 2.
    // Ids are numbered in first-appearance order in the file.
    expect(idsOf(t, 0)).toEqual([0, 1, 2, 3]);
    expect(idsOf(t, 1)).toEqual([0, 1, 4, 5]);
    expect(idsOf(t, 2)).toEqual([0, 1, 2, 6, 7]);
    expect(idsOf(t, 3)).toEqual([0, 1, 4, 8, 9]);
    expect(idsOf(t, 4)).toEqual([0, 1, 2, 6, 10, 11]);
    expect(idsOf(t, 5)).toEqual([0, 1, 4, 8, 12, 13]);
  });

  it("--requests cuts the last session short and single-turn sessions carry no session_id", () => {
    const t = synthesizeTrace({ requests: 7, turns: fixed(3), isl: fixed(10), osl: fixed(2), seed: 1 });
    expect(t.count).toBe(7);
    // Sessions of 3, 3 and 1 turns: the last has one turn, so it is a plain request without a session id.
    expect(t.sessionNames.length).toBe(2);
    expect(Array.from(t.sessionIndex).filter((s) => s < 0).length).toBe(1);
  });

  it("turns drawn from uniform:1:3 give 2 turns per session on average", () => {
    const t = synthesizeTrace({
      requests: 30_000,
      turns: uniform(1, 3),
      isl: fixed(10),
      osl: fixed(2),
      seed: 3,
    });
    const sessions = Array.from(t.sessionIndex).filter((s) => s < 0).length + t.sessionNames.length;
    // Sessions ≈ 30000 / 2 = 15000; turns have sd √(2/3) = 0.816, so over 15000 sessions the mean's sd is 0.0067
    // → 5σ = ±0.033 turns/session, i.e. sessions within 15000 · (1 ± 0.017) = ±250.
    expect(Math.abs(sessions - 15_000)).toBeLessThan(250);
  });
});
