import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvWithoutWallTime, kvsim, kvsimAsync, withoutWallTime } from "../support/sweep-cli-kit.js";

const GRID = `name: slices
traces:
  - name: syn
    synthetic: {input_tokens: 1536, output_tokens: 48, request_count: 60, arrival_interval_ms: 30, turns_per_session: 2, shared_prefix_ratio: 0.5, num_prefix_groups: 3}
workers: [1, 2]
prefill_decode: ["1:1", "1:2"]
router_modes: [random]
seeds: [3, 4]
question: {ttft_p99_ms: 400, itl_p99_ms: 30}
`;

describe("kvsim sweep --shard i/N + kvsim merge (separate processes, as a Kubernetes Indexed Job runs them)", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-sweep-slices-"));
  const grid = join(dir, "sweep.yaml");
  writeFileSync(grid, GRID);

  it("3 slices merged give the same rows, page and answer as one process", async () => {
    const whole = kvsim(["sweep", "--grid", grid, "--out", join(dir, "whole"), "--quiet"]);
    expect(whole.stderr).toBe("");
    expect(whole.code).toBe(0);
    const slices = await Promise.all(
      [0, 1, 2].map((i) =>
        kvsimAsync([
          "sweep",
          "--grid",
          grid,
          "--out",
          join(dir, `slice-${i}`),
          "--shard",
          `${i}/3`,
          "--threads",
          "1",
          "--quiet",
        ]),
      ),
    );
    for (const s of slices) expect(s.code, s.stderr).toBe(0);
    // A slice holds the points with index ≡ i (mod 3): 8 points → 3, 3, 2 rows.
    const sliceRows = [0, 1, 2].map((i) =>
      readFileSync(join(dir, `slice-${i}`, "rows.jsonl"), "utf8")
        .trim()
        .split("\n"),
    );
    expect(sliceRows.map((r) => r.length)).toEqual([3, 3, 2]);
    expect(sliceRows[1]?.map((line) => (JSON.parse(line) as { index: number }).index)).toEqual([1, 4, 7]);

    const merged = kvsim([
      "merge",
      join(dir, "slice-2"),
      join(dir, "slice-0"),
      join(dir, "slice-1"),
      "--out",
      join(dir, "merged"),
      "--quiet",
    ]);
    expect(merged.stderr).toBe("");
    expect(merged.code).toBe(0);
    const read = (sub: string, file: string) => readFileSync(join(dir, sub, file), "utf8");
    expect(withoutWallTime(read("merged", "rows.jsonl"))).toBe(withoutWallTime(read("whole", "rows.jsonl")));
    expect(csvWithoutWallTime(read("merged", "rows.csv"))).toBe(
      csvWithoutWallTime(read("whole", "rows.csv")),
    );
    expect(read("merged", "report.html")).toBe(read("whole", "report.html"));
    expect(merged.stdout).toBe(whole.stdout);
    expect(whole.stdout).toMatch(/Cheapest configuration meeting ttft p99 ≤ 400 ms, itl p99 ≤ 30 ms: /);
  }, 60_000);

  it("refuses a missing slice and slices of another grid", () => {
    const missing = kvsim(["merge", join(dir, "slice-0"), join(dir, "slice-2"), "--out", join(dir, "m2")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("kvsim merge: missing slice(s) 1/3 of 3\n");

    const other = join(dir, "other.yaml");
    // Another grid of one point: its slice 1/3 is empty, so it finishes at once — still a finished slice.
    writeFileSync(
      other,
      GRID.replace('prefill_decode: ["1:1", "1:2"]\n', "")
        .replace("workers: [1, 2]", "workers: [1]")
        .replace("seeds: [3, 4]", "seeds: [5]"),
    );
    const foreign = kvsim([
      "sweep",
      "--grid",
      other,
      "--out",
      join(dir, "foreign-1"),
      "--shard",
      "1/3",
      "--quiet",
    ]);
    expect(foreign.code, foreign.stderr).toBe(0);
    expect(readFileSync(join(dir, "foreign-1", "rows.jsonl"), "utf8")).toBe("");
    const mixed = kvsim([
      "merge",
      join(dir, "slice-0"),
      join(dir, "foreign-1"),
      join(dir, "slice-2"),
      "--out",
      join(dir, "m3"),
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/foreign-1: comes from a different grid or traces than .*slice-0/);
  }, 60_000);
});
