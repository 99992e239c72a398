import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cachedRoot: string | null = null;

/**
 * The directory holding kvsim's package.json, found by walking up from this file. Works the same from
 * `src/` (vitest runs TypeScript directly) and from `dist/src/` (the built CLI).
 */
export function packageRoot(): string {
  if (cachedRoot !== null) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "tsconfig.json"))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`kvsim: cannot find the package root above ${import.meta.url}`);
    dir = parent;
  }
}

/** Compiled JavaScript of a module under `src/` — worker threads cannot load TypeScript, so they always run dist. */
export function distModulePath(srcRelativeJs: string): string {
  return join(packageRoot(), "dist", "src", srcRelativeJs);
}

/** The embedded default trace (Mooncake conversation trace, Apache-2.0, see its PROVENANCE.md). */
export function defaultTracePath(): string {
  return join(packageRoot(), "src", "trace", "default-trace", "mooncake_conversation_trace.jsonl");
}
