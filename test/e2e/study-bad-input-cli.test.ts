// Bad input to `kvsim study kv-reuse`: one line on stderr naming the problem, exit code 2, no output files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim study kv-reuse with bad input", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-study-bad-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names a missing Mooncake trace file and writes nothing", () => {
    const missing = join(dir, "nowhere", "mooncake_synthetic_trace.jsonl");
    const out = join(dir, "out");
    const r = kvsim(["study", "kv-reuse", "--quick", "--mooncake-trace", missing, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain("is missing");
    expect(existsSync(out)).toBe(false);
  });

  it("rejects an unknown study, a bad thread count and an unknown flag", () => {
    for (const args of [
      ["study", "kv-reuse", "cache-size"],
      ["study", "kv-reuse", "--threads", "0"],
      ["study", "kv-reuse", "--fast"],
    ]) {
      const r = kvsim([...args, "--out", join(dir, "never")]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trimEnd().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(/^kvsim( [a-z][a-z -]*)?: /); // "kvsim: …" or "kvsim <command>: …"
    }
    expect(existsSync(join(dir, "never"))).toBe(false);
  });
});
