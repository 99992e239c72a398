import { describe, expect, it, vi } from "vitest";
import { createCounterProgress, sumCounters } from "../../src/cli/progress.js";

describe("counter-fed progress bar (threads bump shared counters)", () => {
  it("sums the per-thread slots of a SharedArrayBuffer counter array", () => {
    const counters = new Int32Array(new SharedArrayBuffer(12));
    Atomics.add(counters, 0, 7);
    Atomics.add(counters, 2, 35);
    expect(sumCounters(counters)).toBe(42);
  });

  it("polls on its timer, draws the sum, and stops the timer on finish", () => {
    vi.useFakeTimers();
    try {
      const out: string[] = [];
      const stderr = { isTTY: true, columns: 100, write: (chunk: string) => out.push(chunk) > 0 };
      const counters = new Int32Array(new SharedArrayBuffer(8));
      let now = 0;
      const bar = createCounterProgress({
        label: "replay",
        total: 200,
        unit: "req",
        io: { stderr: stderr as unknown as NodeJS.WritableStream, env: {} },
        counters,
        nowMs: () => now,
      });
      expect(vi.getTimerCount()).toBe(1);
      Atomics.add(counters, 0, 30);
      Atomics.add(counters, 1, 20);
      now = 1000;
      vi.advanceTimersByTime(100);
      // 50 of 200 after 1 s → 25.0 %, 50 req/s, ETA 150 / 50 = 3 s
      expect(out.at(-1)).toContain("50/200  25.0%  50 req/s  ETA 0:03");
      bar.finish();
      expect(out.at(-1)).toBe("\r\x1b[K");
      expect(vi.getTimerCount()).toBe(0);
      const written = out.length;
      Atomics.add(counters, 0, 100);
      vi.advanceTimersByTime(1000);
      expect(out).toHaveLength(written);
    } finally {
      vi.useRealTimers();
    }
  });
});
