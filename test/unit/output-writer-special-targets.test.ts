import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/util/atomic-write.js";
import { InputError } from "../../src/util/errors.js";

// Outputs that are not regular files are written through, never renamed over; a symlinked output replaces
// the file the link points to and the link stays a link.

const dir = mkdtempSync(join(tmpdir(), "kvsim-writer-targets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isRoot = process.getuid?.() === 0;

function messageOf(f: () => void): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  return "no error";
}

describe("devices and FIFOs are written through", () => {
  it("/dev/null takes the bytes and stays a character device", () => {
    writeFileAtomic("/dev/null", "x".repeat(100_000));
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(readdirSync("/dev").filter((n) => n.startsWith(".null."))).toEqual([]);
  });

  it("/dev/full fails with one line and stays a character device", () => {
    expect(messageOf(() => writeFileAtomic("/dev/full", "{}\n"))).toBe(
      "/dev/full: cannot write: no space left on device",
    );
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it.skipIf(!isRoot)("a device node made with mknod in a temporary directory is not replaced (root)", () => {
    const node = join(dir, "null-node");
    const made = spawnSync("mknod", [node, "c", "1", "3"]);
    expect(made.status, String(made.stderr)).toBe(0);
    writeFileAtomic(node, "report\n");
    const st = lstatSync(node);
    expect(st.isCharacterDevice()).toBe(true);
    expect([Math.floor(st.rdev / 256), st.rdev % 256]).toEqual([1, 3]);
    expect(readdirSync(dir).filter((n) => n.includes("null-node"))).toEqual(["null-node"]);
  });

  it("a FIFO delivers every byte to its reader and stays a FIFO", async () => {
    const fifo = join(dir, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const copy = join(dir, "pipe-copy");
    // The reader copies to a file, not back to this process: this thread blocks while it writes.
    const reader = spawn("sh", ["-c", 'cat "$0" > "$1"', fifo, copy]);
    const done = new Promise<number | null>((resolve) => reader.on("close", resolve));
    const text = "line\n".repeat(50_000); // 250 kB: more than a pipe buffer holds, so writes block and resume
    writeFileAtomic(fifo, text);
    expect(await done).toBe(0);
    expect(readFileSync(copy, "utf8")).toBe(text);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe("symlinks", () => {
  it("replaces the link's target; the link stays a link", () => {
    const sub = mkdtempSync(join(dir, "link-"));
    mkdirSync(join(sub, "real"));
    const target = join(sub, "real", "report.json");
    writeFileSync(target, "old\n");
    const link = join(sub, "report.json");
    symlinkSync(join("real", "report.json"), link);
    writeFileAtomic(link, "new\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join("real", "report.json"));
    expect(readFileSync(target, "utf8")).toBe("new\n");
    // the temporary file lived next to the target and is gone
    expect(readdirSync(join(sub, "real"))).toEqual(["report.json"]);
    expect(readdirSync(sub).sort()).toEqual(["real", "report.json"]);
  });

  it("a dangling link creates the file it names", () => {
    const sub = mkdtempSync(join(dir, "dangling-"));
    const link = join(sub, "out.json");
    symlinkSync("made.json", link);
    writeFileAtomic(link, "{}\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(sub, "made.json"), "utf8")).toBe("{}\n");
  });

  it("a replaced regular file keeps its permission bits", () => {
    const path = join(dir, "mode.json");
    writeFileSync(path, "old\n");
    chmodSync(path, 0o640);
    writeFileAtomic(path, "new\n");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, "utf8")).toBe("new\n");
  });

  it("a directory in the way is one line", () => {
    expect(messageOf(() => writeFileAtomic(dir, "x"))).toBe(`${dir}: cannot write: it is a directory`);
  });
});
