import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const dir = mkdtempSync(join(tmpdir(), "kvsim-replay-cells-"));

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, "replay", ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim replay --cells stops cleanly on a failing cell or Ctrl-C", () => {
  it("a cell that fails ends the run with exit 2 and one line naming the cell; no report is written", () => {
    const trace = join(dir, "too-big.jsonl");
    const lines = Array.from({ length: 8 }, (_, i) => {
      const blocks = i === 5 ? 4 : 1;
      const ids = Array.from({ length: blocks }, (_, b) => 100 * i + b);
      return JSON.stringify({ timestamp: 0, input_length: blocks * 512, output_length: 4, hash_ids: ids });
    });
    writeFileSync(trace, `${lines.join("\n")}\n`);
    const report = join(dir, "never.json");
    // 16 blocks of 64 tokens = 1024 tokens per worker; request 5 needs 2048 + 4.
    const args = '{"num_gpu_blocks":16,"block_size":64}';
    const r = kvsim([
      trace,
      "--num-workers",
      "2",
      "-q",
      "--cells",
      "2",
      "--engine-args",
      args,
      "--report-json",
      report,
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(2); // one line and its newline
    expect(r.stderr).toMatch(
      /^kvsim: cell 1 of 2 \(shard key block:2, 3 requests, 1 worker\) failed: engine args: field "num_gpu_blocks": request 5 needs/,
    );
    expect(existsSync(report)).toBe(false);
  });

  it("Ctrl-C stops the threads and exits 130 without writing the report", async () => {
    const report = join(dir, "interrupted.json");
    const child = spawn(
      process.execPath,
      [cli, "replay", "--num-workers", "4", "--cells", "2", "--report-json", report],
      {
        env: { ...process.env, CI: "true" },
      },
    );
    let stderr = "";
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        // Once the threads run (the start line is printed), press Ctrl-C once.
        if (!sent && stderr.includes("cell(s)")) {
          sent = true;
          child.kill("SIGINT");
        }
      });
      child.on("exit", (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(stderr).toContain("kvsim: replay interrupted; no output written\n");
    expect(existsSync(report)).toBe(false);
  });
});
