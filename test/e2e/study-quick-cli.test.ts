// `kvsim study kv-reuse --quick` as a user runs it: the table on stdout, the three files in --out.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");

const HEADERS = [
  "workload",
  "mode",
  "cadence",
  "KV awareness",
  "GPU-hours",
  "vs off",
  "peak prefill",
  "peak decode/agg",
  "TTFT SLA met",
  "ITL SLA met",
  "transitions",
  "applied hit rate",
  "realised reuse",
];

/** The 16 rows' first four columns, in the order the issue lists the matrix. */
const ROW_KEYS: string[] = [];
for (const w of ["shared-prefix", "mooncake"])
  for (const m of ["agg", "disagg"])
    for (const c of ["mixed", "load-only"])
      for (const a of ["on", "off"]) ROW_KEYS.push(`${w} ${m} ${c} ${a}`);

describe("kvsim study kv-reuse --quick", () => {
  const out = mkdtempSync(join(tmpdir(), "kvsim-study-"));
  let run: { code: number | null; stdout: string; stderr: string };

  beforeAll(() => {
    const r = spawnSync(
      process.execPath,
      [cli, "study", "kv-reuse", "--quick", "--out", out, "--threads", "2"],
      {
        encoding: "utf8",
        env: { ...process.env, CI: "1" },
      },
    );
    run = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("exits 0 and prints a status line naming the files", () => {
    expect(run.stderr).toMatch(/^kvsim: 16 replays on 2 thread\(s\) in [\d.]+ s; wrote .*kv-reuse\.md/);
    expect(run.code).toBe(0);
  });

  it("prints the aligned table: every column, then one row per configuration in matrix order", () => {
    const lines = run.stdout.trimEnd().split("\n");
    const at = lines.findIndex((l) => l.startsWith("workload"));
    expect(at).toBeGreaterThan(0);
    const header = lines[at] as string;
    let from = 0;
    for (const h of HEADERS) {
      const k = header.indexOf(h, from);
      expect(k, `column "${h}" in order`).toBeGreaterThanOrEqual(from);
      from = k + h.length;
    }
    expect(lines[at + 1]).toMatch(/^-+( {2}-+)+$/);
    const rows = lines.slice(at + 2);
    expect(rows).toHaveLength(16);
    rows.forEach((row, i) => {
      const cells = row.trim().split(/\s{2,}|\s(?=\S)/);
      expect(cells.slice(0, 4).join(" ")).toBe(ROW_KEYS[i]);
      // GPU-hours, peaks and the two attainment columns are numbers (agg: no prefill pool → —).
      expect(row).toMatch(/\d+\.\d{3}/);
      expect(row).toMatch(/\d+\.\d% +\d+\.\d%/);
    });
  });

  it("writes kv-reuse.md, kv-reuse.json and kv-reuse.svg with the same 16 configurations", () => {
    for (const f of ["kv-reuse.md", "kv-reuse.json", "kv-reuse.svg"])
      expect(existsSync(join(out, f))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, "kv-reuse.json"), "utf8"));
    expect(json.study).toBe("kv-reuse");
    expect(json.quick).toBe(true);
    expect(json.workloads.map((w: { name: string }) => w.name)).toEqual(["shared-prefix", "mooncake"]);
    expect(json.cells).toHaveLength(16);
    expect(
      json.cells.map(
        (c: { workload: string; mode: string; cadence: string; kv_hit_rate_awareness: boolean }) =>
          `${c.workload} ${c.mode} ${c.cadence} ${c.kv_hit_rate_awareness ? "on" : "off"}`,
      ),
    ).toEqual(ROW_KEYS);
    const md = readFileSync(join(out, "kv-reuse.md"), "utf8");
    expect(md).toContain(`| ${HEADERS.join(" | ")} |`);
    expect(
      md.split("\n").filter((l) => /^\| (shared-prefix|mooncake) \| (agg|disagg) \|/.test(l)),
    ).toHaveLength(16);
    expect(md).toContain("](kv-reuse.svg)");
    const svg = readFileSync(join(out, "kv-reuse.svg"), "utf8");
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });
});
