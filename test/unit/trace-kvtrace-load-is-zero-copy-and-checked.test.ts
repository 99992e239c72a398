import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { decodeKvtrace, encodeKvtrace, loadKvtrace } from "../../src/trace/kvtrace.js";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { readTrace } from "../../src/trace/read-trace.js";
import { InputError } from "../../src/util/errors.js";

const dir = mkdtempSync(join(tmpdir(), "kvsim-kvtrace-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));
const columns = readTraceJsonl(fixture).columns;
const bytes = encodeKvtrace(columns);

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  return "no error";
}

describe("loading a .kvtrace", () => {
  it("gives typed-array views into the one file buffer, not copies", () => {
    const file = new Uint8Array(bytes.length);
    file.set(bytes);
    const t = decodeKvtrace(file, "x.kvtrace");
    for (const col of [
      t.arrivalMs,
      t.inputTokens,
      t.outputTokens,
      t.hashOffsets,
      t.hashIds,
      t.sessionIndex,
      t.delayMs,
      t.sourceLine,
    ]) {
      expect(col.buffer).toBe(file.buffer);
    }
    file.fill(0); // the columns see the buffer change: they are views
    expect(t.hashIds.every((v) => v === 0)).toBe(true);
  });

  it("stores everything the JSONL had, including session names, delays and source lines", () => {
    const t = decodeKvtrace(bytes, "x.kvtrace");
    expect(t.sessionNames).toEqual(["chat-A", "42", "chat-é"]);
    expect(Array.from(t.delayMs)).toEqual([Number.NaN, Number.NaN, Number.NaN, 150.5, Number.NaN, 0]);
    expect(Array.from(t.sourceLine)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.sourceChecksum).toBe(columns.sourceChecksum);
    expect(t.traceBlockSize).toBe(512);
  });

  it("is recognised by content, whatever the file is called", () => {
    const path = join(dir, "compiled.jsonl");
    writeFileSync(path, bytes);
    expect(readTrace(path).columns.count).toBe(6);
    expect(readTrace(fixture).columns.count).toBe(6);
  });

  it("rejects a truncated file with a one-line error", () => {
    const path = join(dir, "cut.kvtrace");
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(messageOf(() => loadKvtrace(path))).toMatch(
      new RegExp(`^${path}: corrupt \\.kvtrace file \\(.+\\)$`),
    );
  });

  it("rejects files that are not kvtraces, and versions it does not know", () => {
    expect(messageOf(() => decodeKvtrace(new TextEncoder().encode("hello world!"), "h.kvtrace"))).toBe(
      'h.kvtrace: not a .kvtrace file (no "KVTR" identifier)',
    );
    const v1 = bytes.slice();
    // find field 0 (`version`) the FlatBuffers way: root table offset → its vtable → the field's offset
    const view = new DataView(v1.buffer);
    const root = view.getUint32(0, true);
    const vtable = root - view.getInt32(root, true);
    const versionAt = root + view.getUint16(vtable + 4, true);
    expect(view.getUint32(versionAt, true)).toBe(2);
    view.setUint32(versionAt, 1, true); // version 1 had no checksum: refused, asking for a recompile
    expect(messageOf(() => decodeKvtrace(v1, "v.kvtrace"))).toBe(
      "v.kvtrace: .kvtrace format version 1 is not supported (this kvsim reads version 2; recompile the trace)",
    );
  });

  it("rejects a --trace-block-size that differs from the compiled one", () => {
    const path = join(dir, "b.kvtrace");
    writeFileSync(path, bytes);
    expect(messageOf(() => readTrace(path, { traceBlockSize: 64 }))).toBe(
      `${path}: compiled with trace block size 512, but --trace-block-size 64 was given (recompile the trace)`,
    );
  });

  it("copies once only when the file buffer is not 8-byte aligned", () => {
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const t = decodeKvtrace(shifted, "s.kvtrace");
    expect(t.hashIds.buffer).not.toBe(shifted.buffer);
    expect(Array.from(t.hashIds)).toEqual(Array.from(columns.hashIds));
  });
});
