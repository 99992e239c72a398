import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { formatSkipSummary } from "../../src/trace/trace-rules.js";
import { memoryIo } from "../oracles/trace-reference.js";

// errors-mixed.jsonl plants one bad line each on lines 17, 33, 58, 74, 90 and 112 (see its README).
const fixture = fileURLToPath(new URL("../fixtures/trace/errors-mixed.jsonl", import.meta.url));
const BAD_LINES = [17, 33, 58, 74, 90, 112];

describe("--lenient skips bad lines and reports how many, which rules and where", () => {
  it("keeps exactly the 114 good rows, in file order", () => {
    const { columns } = readTraceJsonl(fixture, { lenient: true });
    const expected = Array.from({ length: 120 }, (_, i) => i + 1).filter((l) => !BAD_LINES.includes(l));
    expect(Array.from(columns.sourceLine)).toEqual(expected);
    expect(columns.count).toBe(114);
    // line i has k = (i mod 3) + 1 blocks; Σ over kept lines = Σ over 1..120 (= 40·(1+2+3) = 240) − dropped
    const droppedBlocks = BAD_LINES.map((l) => (l % 3) + 1).reduce((a, b) => a + b, 0);
    expect(columns.hashIds.length).toBe(240 - droppedBlocks);
  });

  it("counts skipped lines per rule and keeps the first line numbers", () => {
    const { skipped } = readTraceJsonl(fixture, { lenient: true });
    expect(skipped).toEqual({
      linesRead: 120,
      skipped: 6,
      byRule: [
        { rule: "not-json", count: 1 },
        { rule: "missing-field", count: 1 },
        { rule: "negative", count: 1 },
        { rule: "fractional", count: 1 },
        { rule: "hash-count", count: 1 },
        { rule: "backwards", count: 1 },
      ],
      firstLines: [17, 33, 58, 74, 90],
    });
  });

  it("the CLI prints the summary as one stderr line and still answers", async () => {
    const { io, stdout, stderr } = memoryIo();
    const code = await runCli(["trace", "stats", "--lenient", "--json", fixture], io);
    expect(code).toBe(0);
    expect(stderr()).toBe(
      `kvsim: ${fixture}: --lenient skipped 6 of 120 lines: 1 not-json, 1 missing-field, 1 negative, ` +
        "1 fractional, 1 hash-count, 1 backwards (lines 17, 33, 58, 74, 90, …)\n",
    );
    expect(JSON.parse(stdout()).requests).toBe(114);
  });

  it("without --lenient the first bad line fails the read", async () => {
    const { io, stderr } = memoryIo();
    expect(await runCli(["trace", "stats", fixture], io)).toBe(2);
    expect(stderr()).toBe(`kvsim: ${fixture}:17: field "input_length": must be an integer >= 1 (got 3.5)\n`);
  });

  it("formats a clean run and a single skip", () => {
    expect(formatSkipSummary({ linesRead: 3, skipped: 0, byRule: [], firstLines: [] })).toBe(
      "skipped 0 of 3 lines",
    );
    expect(
      formatSkipSummary({ linesRead: 3, skipped: 1, byRule: [{ rule: "zero", count: 1 }], firstLines: [2] }),
    ).toBe("skipped 1 of 3 lines: 1 zero (line 2)");
  });

  it("a trace where every line is bad is still an error", () => {
    expect(() =>
      readTraceJsonl(fixture.replace("errors-mixed", "valid-small"), { lenient: true }),
    ).not.toThrow();
    const allBad = fixture.replace("errors-mixed.jsonl", "README.md"); // markdown: no line is JSON
    expect(() => readTraceJsonl(allBad, { lenient: true })).toThrow(
      /no valid requests \(all \d+ lines were skipped\)/,
    );
  });
});
