import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, kvsim } from "../support/sweep-cli-kit.js";

// Traces that cannot be seeked — a pipe on standard input (as /dev/stdin or "-") and a named FIFO — are read
// front to back by one reader and give exactly what the same file gives (before: ESPIPE and a stack trace).

const trace = fileURLToPath(new URL("../fixtures/replay/conversation-300.jsonl", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvsim-trace-pipes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with `input` on a pipe as its standard input. */
function kvsimPiped(args: readonly string[], input: Buffer | string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI on a FIFO that another process fills from `source`. */
async function kvsimOnFifo(args: (fifo: string) => readonly string[], source: string, name: string) {
  const fifo = join(dir, name);
  expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
  const writer = spawn("sh", ["-c", 'cat "$0" > "$1"', source, fifo]);
  const wrote = new Promise<number | null>((resolve) => writer.on("close", resolve));
  const r = kvsim(args(fifo));
  expect(await wrote).toBe(0);
  return r;
}

const fromFile = kvsim(["trace", "stats", "--json", trace]);

describe("non-seekable trace inputs", () => {
  it("the file itself: the reference output", () => {
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).requests).toBe(300);
  });

  it("cat t.jsonl | kvsim trace stats /dev/stdin", () => {
    const r = kvsimPiped(["trace", "stats", "--json", "/dev/stdin"], readFileSync(trace));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(fromFile.stdout);
  });

  it("through a shell pipeline (a real pipe, not a socket)", () => {
    const r = spawnSync(
      "sh",
      ["-c", 'cat "$0" | "$1" "$2" trace stats --json /dev/stdin', trace, process.execPath, CLI],
      {
        encoding: "utf8",
        env: { ...process.env, CI: "true" },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(fromFile.stdout);
  });

  it('"-" with --threads 4 falls back to one reader and gives the same answer', () => {
    const r = kvsimPiped(["trace", "stats", "--json", "--threads", "4", "-"], readFileSync(trace));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(fromFile.stdout);
  });

  it("a FIFO made with mkfifo", async () => {
    const r = await kvsimOnFifo(
      (fifo) => ["trace", "stats", "--json", "--threads", "2", fifo],
      trace,
      "t.fifo",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(fromFile.stdout);
  });

  it("trace compile from standard input writes the same bytes as from the file", () => {
    const a = join(dir, "file.kvtrace");
    const b = join(dir, "pipe.kvtrace");
    expect(kvsim(["trace", "compile", trace, "-o", a, "-q"]).code).toBe(0);
    const r = kvsimPiped(["trace", "compile", "-", "-o", b, "-q"], readFileSync(trace));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });

  it("a compiled .kvtrace through a pipe is recognised and read", () => {
    const compiled = join(dir, "piped-in.kvtrace");
    expect(kvsim(["trace", "compile", trace, "-o", compiled, "-q"]).code).toBe(0);
    const r = kvsimPiped(["trace", "stats", "--json", "-"], readFileSync(compiled));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(fromFile.stdout);
  });

  it("replay reads its trace from a FIFO", async () => {
    const r = await kvsimOnFifo((fifo) => ["replay", fifo, "--json", "--quiet"], trace, "r.fifo");
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { completed_requests: number }).completed_requests).toBe(300);
  });

  it("a bad line on standard input names <stdin> and the line", () => {
    const good = '{"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [0]}\n';
    const r = kvsimPiped(["trace", "stats", "-"], `${good}${good}{"timestamp": 1}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kvsim: <stdin>:3: field "input_length": is required\n');
  });

  it("trace compile - without -o asks for one", () => {
    const r = kvsimPiped(["trace", "compile", "-"], readFileSync(trace));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kvsim trace compile: -o OUT is required when compiling standard input\n");
  });
});
