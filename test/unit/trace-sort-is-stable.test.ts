import { describe, expect, it } from "vitest";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";

// Arrivals 5, 3, 3, 1, 5 (lines 1–5); each line's single hash id is its line number × 10.
const text = [5, 3, 3, 1, 5]
  .map((ts, i) =>
    JSON.stringify({ timestamp: ts, input_length: 4, output_length: 1, hash_ids: [(i + 1) * 10] }),
  )
  .join("\n");

describe("timestamps going backwards", () => {
  it("are an error naming both lines unless --sort", () => {
    expect(() => parseTraceJsonl(text, "t.jsonl")).toThrow(
      't.jsonl:2: field "timestamp": goes backwards (3 < 5 on line 1); pass --sort to sort by arrival',
    );
  });

  it("--sort orders rows by arrival, ties in file order, carrying every column along", () => {
    const { columns: t } = parseTraceJsonl(text, "t.jsonl", { sort: true });
    // stable order: ts 1 (line 4), 3 (line 2), 3 (line 3), 5 (line 1), 5 (line 5)
    expect(Array.from(t.sourceLine)).toEqual([4, 2, 3, 1, 5]);
    expect(Array.from(t.arrivalMs)).toEqual([1, 3, 3, 5, 5]);
    expect(Array.from(t.hashIds)).toEqual([40, 20, 30, 10, 50]);
    expect(Array.from(t.hashOffsets)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("--sort leaves an already ordered trace exactly as read", () => {
    const ordered = [1, 1, 2].map((ts) =>
      JSON.stringify({ timestamp: ts, input_length: 1, output_length: 1, hash_ids: [ts] }),
    );
    const plain = parseTraceJsonl(ordered.join("\n"), "o.jsonl").columns;
    const sorted = parseTraceJsonl(ordered.join("\n"), "o.jsonl", { sort: true }).columns;
    expect(Array.from(sorted.sourceLine)).toEqual(Array.from(plain.sourceLine));
  });
});
