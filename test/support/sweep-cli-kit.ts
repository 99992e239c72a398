// Running the built CLI for the sweep end-to-end tests.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const CLI = join(root, "dist", "src", "cli", "main.js");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kvsim ARGS` to completion (CI set: no progress bar). */
export function kvsim(args: readonly string[], cwd?: string): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
    ...(cwd === undefined ? {} : { cwd }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `kvsim ARGS` as a separate process without blocking, so several can run at once. */
export function kvsimAsync(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CI: "true" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** JSONL rows without their wall_time_ms field (the one value that differs between runs). */
export function withoutWallTime(jsonl: string): string {
  return jsonl.replace(/,"wall_time_ms":[^,}]+/g, "");
}

/** CSV without its last column (wall_time_ms). */
export function csvWithoutWallTime(csv: string): string {
  return csv
    .split("\n")
    .map((line) => line.replace(/,[^,]*$/, ""))
    .join("\n");
}
