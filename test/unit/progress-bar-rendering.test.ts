import { describe, expect, it } from "vitest";
import { createProgress, formatEta, renderProgressLine } from "../../src/cli/progress.js";

/** A stderr stand-in that says it is a terminal and records what is written. */
function fakeTty(columns = 80): {
  stream: NodeJS.WritableStream & { isTTY: boolean; columns: number };
  out: string[];
} {
  const out: string[] = [];
  const stream = { isTTY: true, columns, write: (chunk: string) => out.push(chunk) > 0 };
  return { stream: stream as unknown as NodeJS.WritableStream & { isTTY: boolean; columns: number }, out };
}

const ERASE = "\r\x1b[K";

describe("progress bar on a terminal", () => {
  it("shows bar, done/total, percentage, rate and ETA", () => {
    // 500 of 1000 after 2 s → 50.0 %, 250 req/s, ETA (1000 − 500) / 250 = 2 s → "0:02".
    // Tail "  500/1,000  50.0%  250 req/s  ETA 0:02" is 39 chars; 80 − 1 − "replay".length − 1 − 39 = 33 ≥ 30,
    // so the bar is 30 cells, half full.
    const line = renderProgressLine("replay", 500, 1000, "req", 2000, 80);
    expect(line).toBe(`replay ${"█".repeat(15)}${"░".repeat(15)}  500/1,000  50.0%  250 req/s  ETA 0:02`);
  });

  it("drops the bar on a narrow terminal and never exceeds its width", () => {
    const line = renderProgressLine("replay", 1, 3, "req", 1000, 40);
    expect(line).not.toContain("█");
    expect(line.length).toBeLessThanOrEqual(39);
  });

  it("shows only count and rate when the total is unknown", () => {
    // 1500 units in 3 s → 500 unit/s
    expect(renderProgressLine("scan", 1500, 0, "line", 3000, 80)).toBe("scan  1,500 line  500 line/s");
  });

  it("formats ETA as m:ss, h:mm:ss past an hour, --:-- when unknown", () => {
    expect([formatEta(0), formatEta(65), formatEta(3661), formatEta(Number.POSITIVE_INFINITY)]).toEqual([
      "0:00",
      "1:05",
      "1:01:01",
      "--:--",
    ]);
  });

  it("redraws at most every 100 ms, overwriting its line, and erases it on finish", () => {
    const { stream, out } = fakeTty();
    let now = 1000;
    const bar = createProgress({
      label: "replay",
      total: 100,
      unit: "req",
      io: { stderr: stream, env: {} },
      nowMs: () => now,
    });
    bar.update(0); // first draw
    now = 1050;
    bar.update(10); // 50 ms later: skipped
    now = 1100;
    bar.update(20); // 100 ms after the last draw: drawn
    expect(out).toHaveLength(2);
    expect(out.every((chunk) => chunk.startsWith(ERASE))).toBe(true);
    expect(out[1]).toContain("20/100");
    bar.finish();
    expect(out[2]).toBe(ERASE);
    now = 5000;
    bar.update(100);
    bar.finish();
    expect(out).toHaveLength(3);
  });
});
