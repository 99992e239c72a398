import { describe, expect, it } from "vitest";
import { justBeforeMs, nextChangeMs, targetsAt } from "../../src/replay/hindsight/schedule.js";
import { needed } from "../../src/replay/hindsight/window-judge.js";

// 1 s windows; decode startup 2.5 s (longer than two windows), prefill startup 0.
const timing = { windowMs: 1000, prefillStartupMs: 0, decodeStartupMs: 2500 };
const sizes = [
  { prefill: 1, decode: 1 },
  { prefill: 2, decode: 1 },
  { prefill: 1, decode: 1 },
  { prefill: 1, decode: 4 },
  { prefill: 1, decode: 2 },
];

describe("hindsight schedule targets", () => {
  it("starts a pool's scale-up one startup time before its window and holds the last window's sizes", () => {
    // Decode: window 3 needs 4, its workers start at 3000 − 2500 = 500 ms; window 4 drops to 2 at 4000 ms.
    expect(targetsAt(sizes, timing, 0).decode).toBe(1);
    expect(targetsAt(sizes, timing, 499).decode).toBe(1);
    expect(targetsAt(sizes, timing, 500).decode).toBe(4);
    expect(targetsAt(sizes, timing, 3999).decode).toBe(4);
    expect(targetsAt(sizes, timing, 4000).decode).toBe(2);
    expect(targetsAt(sizes, timing, 99_000).decode).toBe(2);
    // Prefill (no startup): window sizes exactly at the boundaries.
    expect([0, 999, 1000, 1999, 2000].map((t) => targetsAt(sizes, timing, t).prefill)).toEqual([
      1, 1, 2, 2, 1,
    ]);
  });

  it("lists change points at every boundary and every boundary minus a startup", () => {
    const points: number[] = [];
    for (let t = 0; t < 3200; t = nextChangeMs(timing, t)) points.push(t);
    // Boundaries 1000, 2000, 3000; decode lead points k·1000 − 2500 ≥ 0: 500, 1500, 2500.
    expect(points).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000]);
  });

  it("steps to the largest double below a change point", () => {
    expect(justBeforeMs(1000)).toBeLessThan(1000);
    expect(justBeforeMs(1000)).toBe(1000 - 2 ** -43);
  });

  it("counts the requests a window must serve in time: the least m with m / n ≥ target", () => {
    expect(needed(0, 0.95)).toBe(0);
    expect(needed(17, 0.95)).toBe(17); // 16/17 = 0.941 < 0.95
    expect(needed(20, 0.95)).toBe(19); // 19/20 = 0.95 exactly
    expect(needed(40, 0.95)).toBe(38);
    expect(needed(3, 0.5)).toBe(2);
    expect(needed(7, 1)).toBe(7);
  });
});
