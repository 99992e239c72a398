import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtimeMs(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * End-to-end tests run the built CLI and worker threads run compiled JavaScript, so the build must be current
 * before any test starts. Rebuild only when a source file is newer than the build stamp.
 */
export default function setup(): void {
  const stamp = join(root, "dist", "src", "index.js");
  const sources = Math.max(
    newestMtimeMs(join(root, "src")),
    newestMtimeMs(join(root, "native-free-kernels")),
    newestMtimeMs(join(root, "bench")),
  );
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  try {
    execFileSync(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
      {
        cwd: root,
        stdio: "pipe",
      },
    );
  } catch {
    // tsc still emits JavaScript when it reports type errors; `npm run typecheck` is where those fail the build.
    process.stderr.write(
      "global-setup: tsc reported type errors (see `npm run typecheck`); using the emitted JS\n",
    );
  }
}
