// Determinism: the study's files are a function of the command alone — the same bytes on one thread (no pool)
// and on a two-thread pool, and the printed table too (the status line with the wall time goes to stderr).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");

function study(out: string, threads: number) {
  const r = spawnSync(
    process.execPath,
    [cli, "study", "kv-reuse", "--quick", "--quiet", "--out", out, "--threads", String(threads)],
    { encoding: "utf8", env: { ...process.env, CI: "1" } },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim study kv-reuse determinism", () => {
  const dirs = [mkdtempSync(join(tmpdir(), "kvsim-study-1-")), mkdtempSync(join(tmpdir(), "kvsim-study-2-"))];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("writes byte-identical files and prints the same table with 1 and 2 threads", () => {
    const one = study(dirs[0] as string, 1);
    const two = study(dirs[1] as string, 2);
    expect(one.stderr).toBe(""); // --quiet: no progress bar, no status line
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    for (const f of ["kv-reuse.md", "kv-reuse.json", "kv-reuse.svg"]) {
      expect(readFileSync(join(dirs[1] as string, f), "utf8"), f).toBe(
        readFileSync(join(dirs[0] as string, f), "utf8"),
      );
    }
  });
});
