import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseTraceJsonl, readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { sameColumns } from "../oracles/trace-reference.js";

// The file reader streams through one small buffer; lines cut across reads (or longer than the buffer) must
// come out exactly as a parse of the whole text in memory.
const dir = mkdtempSync(join(tmpdir(), "kvsim-trace-chunks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shared = fileURLToPath(
  new URL("../../../shared/traces/mooncake_synthetic_trace.jsonl", import.meta.url),
);
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/trace/${name}`, import.meta.url));

describe("streaming reads", () => {
  it.each([16, 97, 4096])("chunks of %i bytes give the in-memory result on a shared trace", (chunkBytes) => {
    const whole = parseTraceJsonl(readFileSync(shared), shared);
    const streamed = readTraceJsonl(shared, { chunkBytes });
    expect(sameColumns(streamed.columns, whole.columns)).toEqual([]);
  });

  it("a byte-order mark, CRLF endings, blank lines and no final newline are all fine", () => {
    const lines = readFileSync(fixture("valid-small.jsonl"), "utf8").trimEnd().split("\n");
    const text = `\uFEFF${lines.join("\r\n\r\n")}`;
    const path = join(dir, "bom-crlf.jsonl");
    writeFileSync(path, text);
    const got = readTraceJsonl(path, { chunkBytes: 16 }).columns;
    const want = readTraceJsonl(fixture("valid-small.jsonl")).columns;
    expect(got.count).toBe(6);
    expect(Array.from(got.hashIds)).toEqual(Array.from(want.hashIds));
    // every other line is blank now: rows sit on lines 1, 3, 5, …
    expect(Array.from(got.sourceLine)).toEqual([1, 3, 5, 7, 9, 11]);
  });

  it("line numbers in errors and --lenient summaries do not depend on the read size", () => {
    const path = fixture("errors-mixed.jsonl");
    for (const chunkBytes of [16, 200, 1 << 20]) {
      expect(() => readTraceJsonl(path, { chunkBytes })).toThrow(`${path}:17: field "input_length"`);
      expect(readTraceJsonl(path, { chunkBytes, lenient: true }).skipped?.firstLines).toEqual([
        17, 33, 58, 74, 90,
      ]);
    }
  });
});
