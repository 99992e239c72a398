import { describe, expect, it, vi } from "vitest";
import { createCounterProgress, createProgress, isCiEnv } from "../../src/cli/progress.js";

function stream(isTTY: boolean): { stream: NodeJS.WritableStream & { isTTY: boolean }; out: string[] } {
  const out: string[] = [];
  const s = { isTTY, columns: 80, write: (chunk: string) => out.push(chunk) > 0 };
  return { stream: s as unknown as NodeJS.WritableStream & { isTTY: boolean }, out };
}

function drive(isTTY: boolean, env: NodeJS.ProcessEnv, quiet: boolean): string[] {
  const { stream: stderr, out } = stream(isTTY);
  let now = 0;
  const bar = createProgress({
    label: "replay",
    total: 10,
    unit: "req",
    io: { stderr, env },
    quiet,
    nowMs: () => now,
  });
  for (let i = 0; i <= 10; i++) {
    now += 1000;
    bar.update(i);
  }
  bar.finish();
  return out;
}

describe("progress bar stays silent when it cannot help", () => {
  it("draws on a TTY with neither --quiet nor CI (control case)", () => {
    expect(drive(true, {}, false).length).toBeGreaterThan(0);
    expect(drive(true, { CI: "false" }, false).length).toBeGreaterThan(0);
  });

  it("writes nothing into a pipe or file (stderr not a TTY)", () => {
    expect(drive(false, {}, false)).toEqual([]);
  });

  it("writes nothing under CI", () => {
    expect(drive(true, { CI: "true" }, false)).toEqual([]);
    expect(drive(true, { CI: "1" }, false)).toEqual([]);
    expect([
      isCiEnv({ CI: "" }),
      isCiEnv({ CI: "0" }),
      isCiEnv({ CI: "FALSE" }),
      isCiEnv({ CI: "github" }),
    ]).toEqual([false, false, false, true]);
  });

  it("writes nothing under --quiet", () => {
    expect(drive(true, {}, true)).toEqual([]);
  });

  it("starts no timer for the counter variant when silent", () => {
    vi.useFakeTimers();
    try {
      const { stream: stderr, out } = stream(false);
      const counters = new Int32Array(new SharedArrayBuffer(8));
      const bar = createCounterProgress({
        label: "replay",
        total: 10,
        unit: "req",
        io: { stderr, env: {} },
        counters,
      });
      expect(vi.getTimerCount()).toBe(0);
      Atomics.add(counters, 0, 5);
      vi.advanceTimersByTime(1000);
      bar.finish();
      expect(out).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
