import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { kvsim } from "../support/sweep-cli-kit.js";

// The disk-full reproductions, on a real 200 kB tmpfs (root only; elsewhere the simulated failing
// disk in test/unit/output-writer-checks-every-write.test.ts covers the same writer). Each output that does not
// fit must end the run with exit 2 and one stderr line naming the file, leave no temporary file, and leave the
// file that was there before exactly as it was.

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));
const trace300 = join(fixtures, "replay", "conversation-300.jsonl");
const aggPlanner = join(fixtures, "report", "agg-planner.yaml");

const root = mkdtempSync(join(tmpdir(), "kvsim-disk-full-"));
const mounts: string[] = [];

/** A fresh 200 kB tmpfs, or null when this process may not mount one (not root, or no mount in a container). */
function smallDisk(name: string): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = join(root, name);
  mkdirSync(dir);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=200k", "tmpfs", dir]);
  if (r.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

const canMount = (() => {
  const probe = smallDisk("probe");
  return probe !== null;
})();

afterAll(() => {
  for (const dir of mounts) spawnSync("umount", [dir]);
  rmSync(root, { recursive: true, force: true });
});

/** Fills the disk until about `freeBytes` remain. */
function fillLeaving(disk: string, freeBytes: number): void {
  const s = statfsSync(disk);
  const free = s.bavail * s.bsize;
  if (free > freeBytes) writeFileSync(join(disk, "filler"), Buffer.alloc(free - freeBytes));
}

function expectOneLineFailure(r: { code: number | null; stderr: string }, path: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toBe(`kvsim: ${path}: cannot write: no space left on device\n`);
}

const noTemporaryFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".tmp"));

describe.skipIf(!canMount)("a full disk: exit 2, one line, no temporary file, the old file untouched", () => {
  it("replay --report-html (237 kB page on a 200 kB disk)", () => {
    const disk = smallDisk("html") as string;
    const out = join(disk, "p.html");
    writeFileSync(out, "old report\n");
    const r = kvsim(["replay", trace300, "--planner-config", aggPlanner, "--report-html", out, "--quiet"]);
    expectOneLineFailure(r, out);
    expect(readdirSync(disk)).toEqual(["p.html"]);
    expect(readFileSync(out, "utf8")).toBe("old report\n");
  });

  it("trace synth --requests 2000 does not claim to have written them", () => {
    const disk = smallDisk("synth") as string;
    const out = join(disk, "s.jsonl");
    const r = kvsim(["trace", "synth", "--requests", "2000", "-o", out]);
    expectOneLineFailure(r, out);
    expect(r.stdout).toBe("");
    expect(readdirSync(disk)).toEqual([]);
  });

  it("trace compile of a 4000-request trace (about 280 kB) reports the failure, not success", () => {
    const disk = smallDisk("compile") as string;
    const input = join(root, "synth-4000.jsonl");
    expect(kvsim(["trace", "synth", "--requests", "4000", "-o", input, "-q"]).code).toBe(0);
    const out = join(disk, "t.kvtrace");
    const r = kvsim(["trace", "compile", input, "-o", out]);
    expectOneLineFailure(r, out);
    expect(r.stdout).toBe("");
    expect(readdirSync(disk)).toEqual([]);
  });

  it("replay --requests-out on a disk with 20 kB left (the records need about 65 kB)", () => {
    const disk = smallDisk("requests") as string;
    const out = join(disk, "r.jsonl");
    writeFileSync(out, "old records\n");
    fillLeaving(disk, 20_000);
    const r = kvsim(["replay", trace300, "--requests-out", out, "--quiet"]);
    expectOneLineFailure(r, out);
    expect(noTemporaryFiles(disk)).toEqual([]);
    expect(readFileSync(out, "utf8")).toBe("old records\n");
  });

  it("a sweep that cannot finish its outputs leaves no manifest (the earlier run's is withdrawn)", () => {
    const disk = smallDisk("sweep") as string;
    const grid = join(root, "grid.yaml");
    writeFileSync(
      grid,
      "traces:\n  - name: syn\n    synthetic: {input_tokens: 1536, output_tokens: 48, request_count: 60, arrival_interval_ms: 30}\nworkers: [1, 2]\n",
    );
    const out = join(disk, "sweep");
    expect(kvsim(["sweep", "--grid", grid, "--out", out, "--quiet", "--threads", "1"]).code).toBe(0);
    const before = readdirSync(out).sort();
    expect(before).toContain("manifest.msgpack");
    fillLeaving(disk, 4 << 10); // one page: less than report.html needs even after the old manifest is gone
    const r = kvsim(["sweep", "--grid", grid, "--out", out, "--quiet", "--threads", "1"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^kvsim: ${out}/(rows\\.\\w+|report\\.html): cannot write: no space left on device\\n$`),
    );
    expect(readdirSync(out)).not.toContain("manifest.msgpack");
    expect(noTemporaryFiles(out)).toEqual([]);
  });
});
