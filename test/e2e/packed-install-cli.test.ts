// The package as users install it: `npm pack`, the tarball installed into an empty prefix without a registry,
// and the installed `kvsim` run from there — the main job on the embedded trace, and a sweep on two worker
// threads (threads load their modules from the installed package's dist/, not from this checkout).

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { installOffline, type PackedTarball, packProject } from "../support/packed-install-kit.js";
import { kvsim as repoKvsim, withoutWallTime } from "../support/sweep-cli-kit.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const EMBEDDED_TRACE = join(root, "src", "trace", "default-trace", "mooncake_conversation_trace.jsonl");
const GRID = `traces:
  - name: syn
    synthetic: {input_tokens: 1536, output_tokens: 48, request_count: 60, arrival_interval_ms: 30}
workers: [1, 2]
`;

const dir = mkdtempSync(join(tmpdir(), "kvsim-packed-"));
const prefix = join(dir, "prefix");
let tarball: PackedTarball;
let bin = "";

function installed(args: readonly string[]) {
  const r = spawnSync(bin, args, { cwd: prefix, encoding: "utf8", env: { ...process.env, CI: "true" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tarball = packProject(dir);
  bin = installOffline(tarball, prefix);
});

describe("the packed package, installed offline into an empty prefix", () => {
  it("ships the CLI, its worker modules and the embedded trace, and no tests, benches or sources", () => {
    expect(tarball.files).toContain("dist/src/cli/main.js");
    expect(tarball.files).toContain("dist/src/parallel/sweep/worker.js");
    expect(tarball.files).toContain("src/trace/default-trace/mooncake_conversation_trace.jsonl");
    const shipped = (prefixPath: string) => tarball.files.filter((f) => f.startsWith(prefixPath));
    expect(shipped("dist/test/")).toEqual([]);
    expect(shipped("dist/bench/")).toEqual([]);
    expect(tarball.files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(existsSync(join(prefix, "node_modules", "kvsim", "tsconfig.json"))).toBe(false);
    // The bin runs the installed copy, not this checkout's.
    expect(realpathSync(bin)).toBe(
      join(realpathSync(prefix), "node_modules", "kvsim", "dist", "src", "cli", "main.js"),
    );
  });

  it("finds its own package root: --version prints the packed version", () => {
    const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string })
      .version;
    const r = installed(["--version"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it("runs the main job on the embedded trace: the metrics table, every request completed, exit 0", () => {
    const r = installed(["replay", "--num-workers", "8"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kvsim \| Replay Metrics/);
    expect(r.stdout).toMatch(/Metric\s+┃\s+avg\s+┃\s+min\s+┃\s+max\s+┃\s+p99/);
    const requests = readFileSync(EMBEDDED_TRACE, "utf8").trim().split("\n").length;
    const completed = requests.toLocaleString("en-US");
    expect(r.stdout).toMatch(new RegExp(`│ Request Count \\(completed\\)\\s+│\\s+${completed} │`));
  });

  it("runs a sweep on 2 worker threads with the same rows as this checkout's build", () => {
    const grid = join(dir, "grid.yaml");
    writeFileSync(grid, GRID);
    const out = join(dir, "installed-out");
    const r = installed(["sweep", "--grid", grid, "--out", out, "--threads", "2", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^kvsim sweep: 2 point\(s\) on 2 thread\(s\), 120 requests to simulate\n/);
    for (const file of ["rows.jsonl", "rows.csv", "rows.kvsweep", "report.html", "manifest.msgpack"]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const repo = repoKvsim([
      "sweep",
      "--grid",
      grid,
      "--out",
      join(dir, "repo-out"),
      "--threads",
      "2",
      "--json",
    ]);
    expect(repo.code, repo.stderr).toBe(0);
    expect(withoutWallTime(readFileSync(join(out, "rows.jsonl"), "utf8"))).toBe(
      withoutWallTime(readFileSync(join(dir, "repo-out", "rows.jsonl"), "utf8")),
    );
  });
});
