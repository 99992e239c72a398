import { spawnSync } from "node:child_process";
import { closeSync, lstatSync, mkdtempSync, openSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, kvsim } from "../support/sweep-cli-kit.js";

// Outputs that are not regular files, as a user names them: devices are written through (never renamed over),
// /dev/full fails with one line, "-" is standard output, and a failing standard output is one line, not a stack.

const trace = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvsim-special-outputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with its standard output opened on `stdoutPath`. */
function kvsimWithStdout(args: readonly string[], stdoutPath: string) {
  const fd = openSync(stdoutPath, "w");
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      stdio: ["ignore", fd, "pipe"],
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    });
    return { code: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

describe("outputs that are not regular files", () => {
  it("--report-json /dev/full: exit 2, one line, /dev/full still a device", () => {
    const r = kvsim(["replay", trace, "--report-json", "/dev/full", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kvsim: /dev/full: cannot write: no space left on device\n");
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("--report-json /dev/null succeeds and leaves /dev/null a character device", () => {
    const r = kvsim(["replay", trace, "--report-json", "/dev/null", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)("a device node of our own (mknod, root) is written through", () => {
    const node = join(dir, "sink");
    expect(spawnSync("mknod", [node, "c", "1", "3"]).status).toBe(0);
    const r = kvsim(["replay", trace, "--report-json", node, "--requests-out", node, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(node).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(["sink"]);
  });

  it("--report-json - writes the JSON report to standard output, ahead of the table", () => {
    const r = kvsim(["replay", trace, "--report-json", "-", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const end = r.stdout.indexOf("\n}\n") + 3;
    const report = JSON.parse(r.stdout.slice(0, end)) as { num_requests: number };
    expect(report.num_requests).toBe(6);
    expect(r.stdout.slice(end)).toMatch(/Time to First Token/);
    expect(readdirSync(process.cwd())).not.toContain("-");
  });

  it("a standard output on /dev/full is one line and exit 2 (trace stats --json)", () => {
    const r = kvsimWithStdout(["trace", "stats", "--json", trace], "/dev/full");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kvsim: standard output: cannot write: no space left on device\n");
  });

  it("trace synth -o - on /dev/full fails before its summary claims success", () => {
    const r = kvsimWithStdout(["trace", "synth", "--requests", "50", "-o", "-"], "/dev/full");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kvsim: standard output: cannot write: no space left on device\n");
  });
});
