import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "kvsim";

let cachedRoot: string | null = null;

/** True when `dir` holds a package.json whose name is kvsim (a workspace or a parent project may hold others). */
function isKvsimRoot(dir: string): boolean {
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The directory holding kvsim's package.json, found by walking up from this file. Works the same from
 * `src/` (vitest runs TypeScript directly), from `dist/src/` (the built CLI) and from an installed package
 * (`node_modules/kvsim/dist/src/`), which ships package.json but no tsconfig.json or sources.
 */
export function packageRoot(): string {
  if (cachedRoot !== null) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (isKvsimRoot(dir)) {
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
