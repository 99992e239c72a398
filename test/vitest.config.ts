import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    reporters: process.env.KVSIM_JSON_REPORT ? ["default", "json"] : ["default"],
    outputFile: process.env.KVSIM_JSON_REPORT ? { json: process.env.KVSIM_JSON_REPORT } : {},
  },
});
