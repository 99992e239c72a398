import * as fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AtomicFileWriter, type WriterFs, writeFileAtomic } from "../../src/util/atomic-write.js";
import { InputError } from "../../src/util/errors.js";

// The writer on a simulated failing disk: a file system whose write(2) returns short counts, runs out of space
// part-way, returns 0, or whose fsync/rename fail. Whatever happens: the data is all there or the old file is,
// never a temporary file left behind, and the failure is one line naming the path.

const dir = mkdtempSync(join(tmpdir(), "kvsim-writer-checks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** node:fs whose write(2) hands out at most `perCall` bytes, and fails once `capacity` bytes are out. */
function limitedFs(perCall: number, capacity: number, onFull: () => number = () => 0): WriterFs {
  let used = 0;
  return {
    ...fs,
    writeSync: ((fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (used >= capacity) return onFull();
      const n = Math.min(length, perCall, capacity - used);
      const wrote = fs.writeSync(fd, buffer, offset, n);
      used += wrote;
      return wrote;
    }) as WriterFs["writeSync"],
  };
}

function failure(f: () => void): InputError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected a failure");
}

function freshTarget(name: string): string {
  const sub = mkdtempSync(join(dir, `${name}-`));
  const path = join(sub, "out.json");
  writeFileSync(path, "old contents\n");
  return path;
}

const dataOf = (n: number) => "0123456789abcdef".repeat(Math.ceil(n / 16)).slice(0, n);

describe("every write is checked", () => {
  it("resumes short counts: 10,000 bytes through 7-byte writes arrive whole", () => {
    const path = freshTarget("short");
    writeFileAtomic(path, dataOf(10_000), limitedFs(7, Number.POSITIVE_INFINITY));
    expect(readFileSync(path, "utf8")).toBe(dataOf(10_000));
  });

  it("a multi-byte UTF-8 text is resumed at the byte, not the character", () => {
    const path = freshTarget("utf8");
    const text = "é→😀".repeat(1000); // 2 + 3 + 4 bytes per repeat: 9000 bytes
    writeFileAtomic(path, text, limitedFs(5, Number.POSITIVE_INFINITY));
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("ENOSPC part-way: one line naming the file, no temporary file, the old file untouched", () => {
    const path = freshTarget("enospc");
    const e = failure(() =>
      writeFileAtomic(
        path,
        dataOf(237_887),
        limitedFs(4096, 61_440, () => {
          throw errno("ENOSPC");
        }),
      ),
    );
    expect(e.message).toBe(`${path}: cannot write: no space left on device`);
    expect(e.exitCode).toBe(2);
    expect(readdirSync(join(path, ".."))).toEqual(["out.json"]);
    expect(readFileSync(path, "utf8")).toBe("old contents\n");
  });

  it("a write that returns 0 is a failure, not an endless loop", () => {
    const path = freshTarget("zero");
    const e = failure(() => writeFileAtomic(path, dataOf(100), limitedFs(10, 50)));
    expect(e.message).toBe(`${path}: cannot write: the device accepted no more bytes (short write)`);
    expect(readdirSync(join(path, ".."))).toEqual(["out.json"]);
    expect(readFileSync(path, "utf8")).toBe("old contents\n");
  });

  it("EAGAIN (a full non-blocking pipe) is waited out, not reported", () => {
    const path = freshTarget("eagain");
    let calls = 0;
    const flaky: WriterFs = {
      ...fs,
      writeSync: ((fd: number, buffer: Uint8Array, offset: number, length: number) => {
        calls++;
        if (calls % 2 === 1) throw errno("EAGAIN");
        return fs.writeSync(fd, buffer, offset, Math.min(length, 3));
      }) as WriterFs["writeSync"],
    };
    writeFileAtomic(path, "abcdefghij", flaky);
    expect(readFileSync(path, "utf8")).toBe("abcdefghij");
    expect(calls).toBe(8); // 4 writes of ≤ 3 bytes, each after one EAGAIN
  });

  for (const [step, code, reason] of [
    ["fsyncSync", "EIO", "input/output error"],
    ["closeSync", "EIO", "input/output error"],
    ["renameSync", "EXDEV", "EXDEV"],
  ] as const) {
    it(`${step} failing with ${code}: one line, no temporary file, the old file untouched`, () => {
      const path = freshTarget(step);
      const broken: WriterFs = {
        ...fs,
        [step]: (...args: unknown[]) => {
          // let the temp file's descriptor close for real, so the test leaks nothing
          if (step === "closeSync") fs.closeSync(args[0] as number);
          throw errno(code);
        },
      };
      const e = failure(() => writeFileAtomic(path, dataOf(1000), broken));
      expect(e.message).toBe(`${path}: cannot write: ${reason}`);
      expect(readdirSync(join(path, ".."))).toEqual(["out.json"]);
      expect(readFileSync(path, "utf8")).toBe("old contents\n");
    });
  }

  it("the streaming writer aborts itself on a failed chunk: abort() after it is harmless", () => {
    const path = freshTarget("stream");
    const writer = new AtomicFileWriter(
      path,
      limitedFs(1 << 20, 3000, () => {
        throw errno("EDQUOT");
      }),
    );
    writer.write(dataOf(2000));
    const e = failure(() => writer.write(dataOf(2000)));
    expect(e.message).toBe(`${path}: cannot write: disk quota exceeded`);
    writer.abort();
    expect(readdirSync(join(path, ".."))).toEqual(["out.json"]);
    expect(readFileSync(path, "utf8")).toBe("old contents\n");
  });

  it("a missing directory is one line before anything is written", () => {
    const path = join(dir, "no-such-dir", "out.json");
    expect(failure(() => writeFileAtomic(path, "x")).message).toBe(
      `${path}: cannot write: its directory does not exist`,
    );
  });
});
