import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ["test/**/*.test.ts"],
    // The temp dir first: TMPDIR must point into the run dir before anything else runs or vitest forks.
    globalSetup: ["test/global-temp-dir.ts", "test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one file at a time. Most files
    // wait on child processes (the CLI as a user runs it), so two at a time halves the wall time there.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: process.env.KVSIM_JSON_REPORT ? ["default", "json"] : ["default"],
    outputFile: process.env.KVSIM_JSON_REPORT ? { json: process.env.KVSIM_JSON_REPORT } : {},
  },
});
