import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { columnsSnapshot } from "../oracles/trace-reference.js";

const fixture = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));

describe("reading a small valid JSONL trace", () => {
  it("fills every column as worked out by hand from the fixture", () => {
    const { columns, skipped } = readTraceJsonl(fixture);
    expect(skipped).toBeNull();
    expect(columnsSnapshot(columns)).toEqual({
      count: 6,
      traceBlockSize: 512,
      arrivalMs: [0, 0.5, 1000, 2500, 2500, 4000],
      // 1e3 and 2.0E1 are the integers 1000 and 20
      inputTokens: [600, 1025, 512, 1000, 1, 513],
      outputTokens: [20, 5, 1, 20, 7, 3],
      // ceil(600/512)=2, ceil(1025/512)=3, 1, ceil(1000/512)=2, 1, ceil(513/512)=2 → running sums
      hashOffsets: [0, 2, 5, 6, 8, 9, 11],
      hashIds: [0, 1, 0, 1, 2, 3, 3, 4, 9007199254740991, 0, 5],
      // "chat-A" first seen on line 3, 42 (integer id, kept as "42") on line 5, "chat-\u00e9" on line 6
      sessionIndex: [-1, -1, 0, 0, 1, 2],
      sessionNames: ["chat-A", "42", "chat-é"],
      delayMs: [Number.NaN, Number.NaN, Number.NaN, 150.5, Number.NaN, 0],
      sourceLine: [1, 2, 3, 4, 5, 6],
      sourceChecksum: createHash("sha256").update(readFileSync(fixture)).digest("hex"),
    });
  });

  it("column types follow TraceColumns", () => {
    const { columns: t } = readTraceJsonl(fixture);
    expect(t.arrivalMs).toBeInstanceOf(Float64Array);
    expect(t.inputTokens).toBeInstanceOf(Uint32Array);
    expect(t.outputTokens).toBeInstanceOf(Uint32Array);
    expect(t.hashOffsets).toBeInstanceOf(Uint32Array);
    expect(t.hashIds).toBeInstanceOf(Float64Array);
    expect(t.sessionIndex).toBeInstanceOf(Int32Array);
    expect(t.delayMs).toBeInstanceOf(Float64Array);
    expect(t.sourceLine).toBeInstanceOf(Uint32Array);
  });
});
