import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dir, kvsim, planner, small, withoutWallTime } from "../support/replay-cells-cli-kit.js";

describe("kvsim replay --cells (the CLI as a user runs it)", () => {
  it("--cells 1 writes the unsharded report byte for byte, with and without a planner (planner section included)", () => {
    for (const extra of [[], ["--planner-config", planner]]) {
      const a = join(dir, "unsharded.json");
      const b = join(dir, "one-cell.json");
      const u = kvsim([small, "--num-workers", "4", "-q", "--report-json", a, ...extra]);
      const c = kvsim([
        small,
        "--num-workers",
        "4",
        "-q",
        "--report-json",
        b,
        "--cells",
        "1",
        "--threads",
        "2",
        ...extra,
      ]);
      expect(u.stderr).toBe("");
      expect(c.stderr).toBe("");
      expect([u.code, c.code]).toEqual([0, 0]);
      expect(withoutWallTime(readFileSync(b, "utf8"))).toBe(withoutWallTime(readFileSync(a, "utf8")));
      expect(c.stdout).toMatch(/Time to First Token \(ms\)/);
    }
  });

  it("prints the split and the errors under the table; --no-compare-unsharded skips the unsharded run", () => {
    const r = kvsim([
      small,
      "--num-workers",
      "4",
      "--cells",
      "2",
      "--threads",
      "2",
      "--shard-key",
      "session",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("kvsim replay: 2 cell(s) (shard key session) on 2 thread(s), 120 requests\n");
    expect(r.stdout).toMatch(
      /^Cells: 2 \(shard key session, 120 groups\); requests per cell \d+ \/ \d+ \(max\/mean \d\.\d{3}\)$/m,
    );
    expect(r.stdout).toMatch(
      /^Error vs unsharded \(K=1\): TTFT p50 [\d,.]+ ms vs [\d,.]+ ms \([+-]\d+\.\d\d%\); TTFT p99 .*; GPU-hours .*$/m,
    );
    const skip = kvsim([small, "--num-workers", "4", "-q", "--cells", "2", "--no-compare-unsharded"]);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toMatch(/^Error vs unsharded: not measured \(--no-compare-unsharded\)$/m);
  });

  it("--shard-key without --cells, or a bad --cells, is a one-line input error", () => {
    expect(kvsim([small, "--shard-key", "session"])).toMatchObject({
      code: 2,
      stderr: "kvsim replay: --shard-key needs --cells\n",
    });
    const r = kvsim([small, "--num-workers", "2", "--cells", "3"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "kvsim: --cells 3: --num-workers 2 leaves cell 2 without a worker (every cell needs at least one; give --num-workers >= 3 or use fewer cells)\n",
    );
  });
});
