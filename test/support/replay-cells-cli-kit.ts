// Shared by the `kvsim replay --cells` end-to-end tests: the CLI runner, a short trace, a planner config, and
// the JSON text without its host-time fields.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
export const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");
export const dir = mkdtempSync(join(tmpdir(), "kvsim-replay-cells-"));
/** The first 120 requests of the fixture: short runs for the cases that replay several times. */
export const small = join(dir, "conversation-120.jsonl");
writeFileSync(small, `${readFileSync(fixture, "utf8").split("\n").slice(0, 120).join("\n")}\n`);

export function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, "replay", ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The JSON text without the host-time fields (the only ones that differ between two runs). */
export function withoutWallTime(text: string): string {
  return text
    .split("\n")
    .filter(
      (line) => !/^\s*"(wall_time_ms|processed_tokens_per_s|processed_output_tokens_per_s)":/.test(line),
    )
    .join("\n");
}

export const planner = JSON.stringify({
  mode: "agg",
  optimization_target: "throughput",
  load_adjustment_interval: 5,
  min_endpoint: 3,
});
