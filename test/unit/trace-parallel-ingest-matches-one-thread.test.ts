import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTraceJsonlParallel } from "../../src/parallel/ingest-pool.js";
import { planLineRanges } from "../../src/trace/range-plan.js";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { columnsSnapshot, sameColumns } from "../oracles/trace-reference.js";

// Parallel ingestion splits the file at line boundaries, parses ranges in piscina workers (compiled dist code)
// and assembles them in order: columns, errors and --lenient summaries must equal the one-thread read.
const shared = (name: string) => fileURLToPath(new URL(`../../../shared/traces/${name}`, import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/trace/${name}`, import.meta.url));

async function errorOf(read: () => Promise<unknown>): Promise<string> {
  try {
    await read();
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

describe("parallel JSONL ingestion is identical to one thread", () => {
  it("splits only at line starts and covers the file", () => {
    const path = shared("mooncake_synthetic_trace.jsonl");
    const bytes = readFileSync(path);
    const fd = openSync(path, "r");
    try {
      const ranges = planLineRanges(fd, statSync(path).size, 3);
      expect(ranges[0]?.start).toBe(0);
      expect(ranges[2]?.end).toBe(bytes.length);
      for (let k = 1; k < 3; k++) {
        expect(ranges[k]?.start).toBe(ranges[k - 1]?.end);
        expect(bytes[(ranges[k]?.start as number) - 1]).toBe(0x0a); // right after a newline
      }
    } finally {
      closeSync(fd);
    }
  });

  it.each(["mooncake_conversation_trace.jsonl", "mooncake_synthetic_trace.jsonl"])(
    "%s with 1, 2 and 3 threads",
    async (name) => {
      const path = shared(name);
      const one = readTraceJsonl(path).columns;
      for (const threads of [2, 3]) {
        const many = await readTraceJsonlParallel(path, { threads });
        expect(sameColumns(many.columns, one)).toEqual([]);
      }
    },
  );

  it("reports the same first error, with its global line number", async () => {
    const path = fixture("errors-mixed.jsonl");
    const one = await errorOf(async () => readTraceJsonl(path));
    expect(one).toBe(`${path}:17: field "input_length": must be an integer >= 1 (got 3.5)`);
    for (const threads of [2, 3])
      expect(await errorOf(() => readTraceJsonlParallel(path, { threads }))).toBe(one);
  });

  it("reports the earliest error even when a later range fails first", async () => {
    // line 50 goes backwards (found while assembling); line 90 is truncated JSON (found inside a range)
    const path = fixture("errors-backwards-before-bad-line.jsonl");
    const want = `${path}:50: field "timestamp": goes backwards (100 < 49000 on line 49); pass --sort to sort by arrival`;
    expect(await errorOf(async () => readTraceJsonl(path))).toBe(want);
    for (const threads of [2, 3])
      expect(await errorOf(() => readTraceJsonlParallel(path, { threads }))).toBe(want);
  });

  it("gives the same --lenient rows and summary", async () => {
    const path = fixture("errors-mixed.jsonl");
    const one = readTraceJsonl(path, { lenient: true });
    for (const threads of [2, 3]) {
      const many = await readTraceJsonlParallel(path, { threads, lenient: true });
      expect(many.skipped).toEqual(one.skipped);
      expect(columnsSnapshot(many.columns)).toEqual(columnsSnapshot(one.columns));
    }
  });
});
