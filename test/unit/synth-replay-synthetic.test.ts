import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import type { TraceColumns } from "../../src/trace/columns.js";
import { buildReplaySyntheticTrace } from "../../src/trace/synth/replay-synthetic.js";
import { InputError } from "../../src/util/errors.js";

function ids(t: TraceColumns, row: number): number[] {
  return Array.from(t.hashIds.subarray(t.hashOffsets[row] as number, t.hashOffsets[row + 1] as number));
}

describe("replay's synthetic mode (docs/design.md#synthetic-requests) as trace columns", () => {
  it("simple mode: request i at i·interval with a prompt of its own", () => {
    const t = buildReplaySyntheticTrace({
      inputTokens: 100,
      outputTokens: 7,
      requestCount: 4,
      arrivalIntervalMs: 2.5,
      blockSize: 64,
    });
    expect(t.count).toBe(4);
    expect(Array.from(t.arrivalMs)).toEqual([0, 2.5, 5, 7.5]);
    expect(Array.from(t.inputTokens)).toEqual([100, 100, 100, 100]);
    expect(Array.from(t.outputTokens)).toEqual([7, 7, 7, 7]);
    expect(t.traceBlockSize).toBe(64);
    // ceil(100/64) = 2 blocks each, all distinct: nothing is shared.
    const all = [0, 1, 2, 3].flatMap((r) => ids(t, r));
    expect(all.length).toBe(8);
    expect(new Set(all).size).toBe(8);
    expect(Array.from(t.sessionIndex)).toEqual([-1, -1, -1, -1]);
  });

  it("the arrival interval defaults to 1 ms", () => {
    const t = buildReplaySyntheticTrace({ inputTokens: 10, outputTokens: 1, requestCount: 3, blockSize: 64 });
    expect(Array.from(t.arrivalMs)).toEqual([0, 1, 2]);
  });

  it("workload mode: sessions, constant inter-turn delay, round(blocks·ratio) group-prefix blocks", () => {
    const t = buildReplaySyntheticTrace({
      inputTokens: 256,
      outputTokens: 5,
      requestCount: 3,
      arrivalIntervalMs: 1,
      turnsPerSession: 3,
      sharedPrefixRatio: 0.5,
      numPrefixGroups: 2,
      interTurnDelayMs: 10,
      blockSize: 64,
    });
    // Session s turn k at s·1 + k·10: s0 0,10,20; s1 1,11,21; s2 2,12,22 → sorted by time.
    expect(Array.from(t.arrivalMs)).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    expect(t.sessionNames).toEqual(["s0", "s1", "s2"]);
    expect(Array.from(t.sessionIndex)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const delays = Array.from(t.delayMs).map((d) => (Number.isNaN(d) ? null : d));
    expect(delays).toEqual([null, null, null, 10, 10, 10, 10, 10, 10]);
  });

  it("workload mode: sessions agree on their round(blocks·ratio) leading blocks iff they share a group", () => {
    const sessions = 8;
    const t = buildReplaySyntheticTrace({
      inputTokens: 256,
      outputTokens: 5,
      requestCount: sessions,
      turnsPerSession: 2,
      sharedPrefixRatio: 0.5,
      numPrefixGroups: 2,
      blockSize: 64,
    });
    // Groups: one uniform draw per session, in session order, from a generator seeded 42.
    const rng = new Prng(42);
    const group = Array.from({ length: sessions }, () => rng.nextBelow(2));
    expect(new Set(group).size).toBe(2);
    const sessionOf = (row: number): number =>
      Number((t.sessionNames[t.sessionIndex[row] as number] as string).slice(1));
    // 256/64 = 4 blocks, round(4 · 0.5) = 2 shared; blocks 2–3 are fresh in every row (a later turn is a new
    // prompt of the same length, as in the reference).
    const seenTail = new Set<number>();
    for (let a = 0; a < t.count; a++) {
      const ia = ids(t, a);
      for (const id of ia.slice(2)) {
        expect(seenTail.has(id)).toBe(false);
        seenTail.add(id);
      }
      for (let b = 0; b < t.count; b++) {
        const same = group[sessionOf(a)] === group[sessionOf(b)];
        expect(ids(t, b).slice(0, 2).join() === ia.slice(0, 2).join()).toBe(same);
      }
    }
  });

  it("ratio rounding: round(3 · 0.5) = 2 blocks, ratio 1 shares the whole prompt", () => {
    const half = buildReplaySyntheticTrace({
      inputTokens: 150,
      outputTokens: 1,
      requestCount: 2,
      sharedPrefixRatio: 0.5,
      numPrefixGroups: 1,
      blockSize: 64,
    });
    expect(ids(half, 0).slice(0, 2)).toEqual(ids(half, 1).slice(0, 2));
    expect(ids(half, 0)[2]).not.toBe(ids(half, 1)[2]);
    const full = buildReplaySyntheticTrace({
      inputTokens: 150,
      outputTokens: 1,
      requestCount: 2,
      sharedPrefixRatio: 1,
      numPrefixGroups: 1,
      blockSize: 64,
    });
    expect(ids(full, 0)).toEqual(ids(full, 1));
  });

  it("interval 0 in workload mode is a burst: every session starts at 0", () => {
    const t = buildReplaySyntheticTrace({
      inputTokens: 64,
      outputTokens: 1,
      requestCount: 3,
      arrivalIntervalMs: 0,
      turnsPerSession: 2,
      interTurnDelayMs: 4,
      blockSize: 64,
    });
    expect(Array.from(t.arrivalMs)).toEqual([0, 0, 0, 4, 4, 4]);
  });

  it("refuses impossible inputs with InputError", () => {
    const base = { inputTokens: 10, outputTokens: 1, requestCount: 1, blockSize: 64 };
    expect(() => buildReplaySyntheticTrace({ ...base, inputTokens: 0 })).toThrow(InputError);
    expect(() => buildReplaySyntheticTrace({ ...base, sharedPrefixRatio: 1.5 })).toThrow(
      /--shared-prefix-ratio/,
    );
    expect(() => buildReplaySyntheticTrace({ ...base, arrivalIntervalMs: -1 })).toThrow(
      /--arrival-interval-ms/,
    );
    expect(() => buildReplaySyntheticTrace({ ...base, turnsPerSession: 0 })).toThrow(/--turns-per-session/);
  });
});
