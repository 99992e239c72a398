import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runInProcess } from "../support/cli-io-kit.js";

// docs/design.md#liveness: a replay whose worker is stuck in a preemption livelock ends at once with one line
// naming the worker, the requests by trace line and the remedy (exit 2), instead of a million passes later.
// Two prompts that fit 3 blocks of 16 tokens one at a time but not together (engine-liveness-guards.test.ts).
describe("a stuck replay", () => {
  it("exits 2 with one line naming the worker and the requests' trace lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsim-livelock-"));
    const trace = join(dir, "two.jsonl");
    writeFileSync(
      trace,
      [
        '{"timestamp": 0, "input_length": 17, "output_length": 4, "hash_ids": [1, 2]}',
        '{"timestamp": 0, "input_length": 38, "output_length": 4, "hash_ids": [3, 4, 5]}',
        "",
      ].join("\n"),
    );
    const args = '{"block_size":16,"num_gpu_blocks":3,"max_num_batched_tokens":16,"preemption_mode":"lifo"}';
    const r = await runInProcess([
      "replay",
      trace,
      "--trace-block-size",
      "16",
      "--engine-args",
      args,
      "--quiet",
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^kvsim: engine args: field "num_gpu_blocks": aggregated worker 0 is stuck: requests [01] \(line [12], (17|38)-token prompt\) and [01] \(line [12], (17|38)-token prompt\) keep preempting each other; 1024 passes computed \d+ tokens, over 8× the 63 its 2 requests need/,
    );
  });
});
