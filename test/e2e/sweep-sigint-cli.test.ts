import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../support/sweep-cli-kit.js";

// Eight points of ~0.5 s each on one thread: the sweep is surely still running when Ctrl-C arrives.
const GRID = `traces:
  - name: big
    synthetic: {input_tokens: 3000, output_tokens: 300, request_count: 400, arrival_interval_ms: 20}
workers: [1, 2, 3, 4, 5, 6, 7, 8]
`;

describe("Ctrl-C during kvsim sweep", () => {
  it("stops the pool, exits 130 and leaves only the partial file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kvsim-sweep-sigint-"));
    const grid = join(dir, "sweep.yaml");
    writeFileSync(grid, GRID);
    const out = join(dir, "out");
    const child = spawn(process.execPath, [CLI, "sweep", "--grid", grid, "--out", out, "--threads", "1"], {
      env: { ...process.env, CI: "true" },
    });
    let stderr = "";
    let signalled = false;
    const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      // The status line is written once the pool is up and points start running.
      if (!signalled && stderr.includes("requests to simulate")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    const code = await exit;
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(
      /kvsim: sweep interrupted; \d finished point\(s\) are in .*rows\.partial\.jsonl \(no final outputs written\)\n$/,
    );
    expect(existsSync(out) ? readdirSync(out) : []).toEqual(["rows.partial.jsonl"]);
  }, 60_000);
});
