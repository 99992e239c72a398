// `--engine-args` means the same in kvsim replay, replay --cells and a sweep grid: in disagg both pools take
// them and the per-pool flags (grid keys) override them field by field.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kvsim } from "../support/sweep-cli-kit.js";

const WORKLOAD = ["--input-tokens", "1024", "--output-tokens", "24", "--request-count", "40"];
const SHARED = '{"block_size":32,"num_gpu_blocks":512}';
const PREFILL = '{"max_num_seqs":2}';
const WALL_KEYS = ["wall_time_ms", "processed_tokens_per_s", "processed_output_tokens_per_s"];

/** The report of `kvsim replay --mode disagg` on the synthetic workload, wall-time keys left out. */
function replay(...args: string[]): Record<string, number> {
  const r = kvsim([
    "replay",
    ...WORKLOAD,
    "--arrival-interval-ms",
    "20",
    "--mode",
    "disagg",
    "--json",
    "--quiet",
    ...args,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as Record<string, number>;
  for (const key of WALL_KEYS) delete report[key];
  return report;
}

describe("--engine-args in a disaggregated replay", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-engine-args-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let layered: Record<string, number> = {};
  beforeAll(() => {
    layered = replay("--engine-args", SHARED, "--prefill-engine-args", PREFILL);
  });

  it("applies to both pools under the per-pool flags: the same run as spelling each pool out", () => {
    const spelled = replay(
      "--prefill-engine-args",
      '{"block_size":32,"num_gpu_blocks":512,"max_num_seqs":2}',
      "--decode-engine-args",
      SHARED,
    );
    expect(layered).toEqual(spelled);
  });

  it("is not ignored: 512 blocks per worker slow the run against the default 16384", () => {
    const without = replay("--prefill-engine-args", PREFILL);
    expect(layered.p99_ttft_ms).toBeGreaterThan(without.p99_ttft_ms as number);
  });

  it("means the same with --cells 1", () => {
    expect(replay("--engine-args", SHARED, "--prefill-engine-args", PREFILL, "--cells", "1")).toEqual(
      layered,
    );
  });

  it("means the same as a sweep grid's engine_args and prefill_engine_args", () => {
    const grid = join(dir, "grid.yaml");
    writeFileSync(
      grid,
      [
        "traces:",
        "  - name: syn",
        "    synthetic: {input_tokens: 1024, output_tokens: 24, request_count: 40, arrival_interval_ms: 20}",
        'prefill_decode: ["1:1"]',
        `engine_args: [${SHARED}]`,
        `prefill_engine_args: [${PREFILL}]`,
        "",
      ].join("\n"),
    );
    const out = join(dir, "sweep");
    const r = kvsim(["sweep", "--grid", grid, "--out", out, "--threads", "1", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const row = JSON.parse(readFileSync(join(out, "rows.jsonl"), "utf8").trim()) as Record<string, number>;
    for (const key of ["p99_ttft_ms", "p99_itl_ms", "duration_ms", "mean_tpot_ms"]) {
      expect(row[key], key).toBeTypeOf("number");
      expect([key, row[key]]).toEqual([key, layered[key]]);
    }
  });
});
