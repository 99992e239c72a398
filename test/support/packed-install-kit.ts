// The project as a user installs it: `npm pack`, then the tarball installed into an empty prefix with no registry.
//
// Offline install: `npm install --offline <tarball>` cannot work from the cache `npm ci` fills, because resolving
// the tarball's version ranges asks for full registry documents while `npm ci` caches only the abbreviated ones
// it needed. So the prefix gets a package-lock.json instead: kvsim from the tarball plus the project's own
// lockfile entries for its runtime dependencies (the versions the tests ran against), and `npm ci --offline`
// installs exactly those from the cache. A proxy that refuses every connection makes any attempt to reach the
// network fail loudly instead of quietly succeeding.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const REFUSING_PROXY = "http://127.0.0.1:9";

export interface PackedTarball {
  readonly path: string;
  readonly fileName: string;
  readonly integrity: string;
  /** Paths inside the package, relative to its root. */
  readonly files: readonly string[];
}

interface LockEntry {
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly [field: string]: unknown;
}

function npm(args: readonly string[], cwd: string): string {
  const r = spawnSync("npm", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      npm_config_proxy: REFUSING_PROXY,
      npm_config_https_proxy: REFUSING_PROXY,
      npm_config_update_notifier: "false",
    },
  });
  if (r.status !== 0) {
    const hint = r.stderr.includes("ENOTCACHED")
      ? "\n(a dependency is missing from the npm cache: `npm ci` fills it; run it, then the tests)"
      : "";
    throw new Error(`npm ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}${hint}`);
  }
  return r.stdout;
}

/**
 * `npm pack` of the project into `destDir`. Scripts are skipped: `prepare` would run tsc again, and the vitest
 * global setup has already brought dist/ up to date.
 */
export function packProject(destDir: string): PackedTarball {
  const out = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", destDir], root);
  const [packed] = JSON.parse(out) as [
    { filename: string; integrity: string; files: readonly { path: string }[] },
  ];
  return {
    path: join(destDir, packed.filename),
    fileName: packed.filename,
    integrity: packed.integrity,
    files: packed.files.map((f) => f.path),
  };
}

/** Installs the tarball into `prefix` (created) from the npm cache alone; returns the `kvsim` bin's path. */
export function installOffline(tarball: PackedTarball, prefix: string): string {
  mkdirSync(prefix, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    version: string;
    license: string;
    bin: Record<string, string>;
    engines: Record<string, string>;
    dependencies: Record<string, string>;
  };
  const projectLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${tarball.path}`;
  const packages: Record<string, unknown> = {
    "": { name: "kvsim-install-check", dependencies: { kvsim: spec } },
    "node_modules/kvsim": {
      version: manifest.version,
      resolved: spec,
      integrity: tarball.integrity,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(projectLock.packages)) {
    if (path === "" || entry.dev === true) continue;
    // Needed by a dev tool and by an optional runtime dependency: for an install of kvsim alone, optional.
    const { devOptional, ...rest } = entry;
    packages[path] = devOptional === true ? { ...rest, optional: true } : rest;
  }
  writeFileSync(
    join(prefix, "package.json"),
    JSON.stringify({ name: "kvsim-install-check", private: true, dependencies: { kvsim: spec } }, null, 2),
  );
  writeFileSync(
    join(prefix, "package-lock.json"),
    JSON.stringify({ name: "kvsim-install-check", lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  npm(["ci", "--offline", "--no-audit", "--no-fund"], prefix);
  return join(prefix, "node_modules", ".bin", "kvsim");
}
