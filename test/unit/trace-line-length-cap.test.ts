import { describe, expect, it } from "vitest";
import { MAX_LINE_BYTES, parseJsonlRange } from "../../src/trace/jsonl-range.js";
import type { SequentialReader } from "../../src/trace/sequential-reader.js";

// A stream with no newline (/dev/zero, a binary piped in) stops with one error once a line passes 64 MiB, in
// strict and lenient mode alike, instead of growing the line buffer until memory runs out.
function endlessBytes(byte: number): { reader: SequentialReader; read: () => number } {
  let total = 0;
  const reader = {
    read(buf: Uint8Array, offset: number, length: number): number {
      buf.fill(byte, offset, offset + length);
      total += length;
      return length;
    },
  } as unknown as SequentialReader;
  return { reader, read: () => total };
}

describe("line length cap", () => {
  // --lenient, which skips bad lines, is the mode that could have kept reading; strict takes the same path.
  it("an endless line ends with a too-large error on line 2, even with --lenient", () => {
    const source = endlessBytes(0x20);
    // Line 1 is a valid request; line 2 never ends.
    const first = new TextEncoder().encode(
      '{"timestamp":0,"input_length":1,"output_length":1,"hash_ids":[1]}\n',
    );
    let sent = false;
    const reader = {
      read(buf: Uint8Array, offset: number, length: number): number {
        if (!sent) {
          sent = true;
          buf.set(first, offset);
          return first.length;
        }
        return source.reader.read(buf, offset, length);
      },
    } as unknown as SequentialReader;
    const r = parseJsonlRange({ kind: "stream", reader }, 0, Number.POSITIVE_INFINITY, {
      traceBlockSize: 512,
      lenient: true,
    });
    expect(r.rows).toBe(1);
    expect(r.error).toEqual({
      line: 2,
      rule: "too-large",
      field: null,
      text: "longer than 64 MiB without a newline: not a JSONL trace",
    });
    // It read the cap and at most one more buffer, not without end.
    expect(source.read()).toBeGreaterThanOrEqual(MAX_LINE_BYTES - first.length);
    expect(source.read()).toBeLessThanOrEqual(MAX_LINE_BYTES + (1 << 20));
  });
});
