import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const synthetic = fileURLToPath(
  new URL("../../../shared/traces/mooncake_synthetic_trace.jsonl", import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), "kvsim-compile-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim trace compile as a user runs it", () => {
  it("compile, then stats on the .kvtrace prints the same JSON as on the JSONL", () => {
    const out = join(dir, "synthetic.kvtrace");
    const c = kvsim(["trace", "compile", synthetic, "-o", out]);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe("");
    expect(c.stdout).toMatch(
      new RegExp(
        `^wrote ${out}: 3993 requests, \\d+ hash ids, 0 sessions, [\\d.]+ (MiB|KiB) in [\\d.]+ s\\n$`,
      ),
    );
    const fromJsonl = kvsim(["trace", "stats", "--json", synthetic]);
    const fromKvtrace = kvsim(["trace", "stats", "--json", out]);
    expect(fromKvtrace.code).toBe(0);
    expect(fromKvtrace.stdout).toBe(fromJsonl.stdout);
  });

  it("one thread and two threads compile to byte-identical files", () => {
    const a = join(dir, "t1.kvtrace");
    const b = join(dir, "t2.kvtrace");
    expect(kvsim(["trace", "compile", synthetic, "-o", a, "--threads", "1", "-q"]).code).toBe(0);
    expect(kvsim(["trace", "compile", synthetic, "-o", b, "--threads", "2", "-q"]).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it("a bad input leaves no output file and no temporary file behind", () => {
    const sub = mkdtempSync(join(dir, "bad-"));
    const input = join(sub, "bad.jsonl");
    writeFileSync(
      input,
      '{"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [0]}\n{"timestamp": 1}\n',
    );
    const out = join(sub, "bad.kvtrace");
    const r = kvsim(["trace", "compile", input, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`kvsim: ${input}:2: field "input_length": is required\n`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(sub)).toEqual(["bad.jsonl"]);
  });

  it("without -o it writes next to the input with the .kvtrace extension", () => {
    const input = join(dir, "copy.jsonl");
    copyFileSync(fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url)), input);
    const r = kvsim(["trace", "compile", input, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(existsSync(join(dir, "copy.kvtrace"))).toBe(true);
  });

  it("compiling the embedded default trace needs -o", () => {
    const r = kvsim(["trace", "compile"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "kvsim trace compile: -o OUT is required when compiling the embedded default trace\n",
    );
  });
});
