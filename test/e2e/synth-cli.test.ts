import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const dir = mkdtempSync(join(tmpdir(), "kvsim-synth-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim trace synth as a user runs it", () => {
  it("writes the file, prints one summary line, and repeats byte for byte in a new process", () => {
    const a = join(dir, "a.jsonl");
    const b = join(dir, "b.jsonl");
    const args = [
      "--requests",
      "400",
      "--turns",
      "uniform:1:3",
      "--prefix-groups",
      "3",
      "--prefix-tokens",
      "1024",
    ];
    const first = kvsim(["trace", "synth", ...args, "-o", a]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(
      /^wrote 400 requests \(\d+ sessions\) spanning [\d.]+ s to .*a\.jsonl; .*reuse/,
    );
    expect(first.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(kvsim(["trace", "synth", ...args, "-o", b, "--quiet"]).stdout).toBe("");
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const lines = readFileSync(a, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(400);
    expect(Object.keys(JSON.parse(lines[0] as string))).toEqual(
      expect.arrayContaining(["timestamp", "input_length", "output_length", "hash_ids"]),
    );
  });

  it("-o - streams JSONL to standard output and the summary to standard error", () => {
    const r = kvsim(["trace", "synth", "--requests", "3", "--isl", "10", "--osl", "2", "-o", "-"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(JSON.parse(l).input_length).toBe(10);
    expect(r.stderr).toMatch(/^wrote 3 requests/);
  });

  it("a bad knob exits 2 with one line and no stack trace, leaving no file", () => {
    const out = join(dir, "bad.jsonl");
    const r = kvsim(["trace", "synth", "--isl", "lognormal:0:5", "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      "kvsim: trace synth: --isl: lognormal MEAN must be a finite number > 0, got 0",
    ]);
    expect(existsSync(out)).toBe(false);
  });
});
