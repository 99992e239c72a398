// A headless Chromium for the browser tests that needs neither root nor apt: Debian's /usr/bin/chromium when the
// machine has one, else the Chromium shipped inside the @sparticuz/chromium npm package, which `npm ci` installs.
// Nothing here downloads a browser: playwright-core is always given an executablePath.
//
// The npm Chromium is a brotli archive that must be unpacked (~190 MB, ~2 s). The package unpacks into
// os.tmpdir() and reuses whatever `chromium` it finds there, so it is unpacked once into
// node_modules/.cache/kvsim-chromium/<version>/ instead: outside the system temp dir (nothing piles up there),
// kept across runs (no 2 s per run), one directory per package version (two versions never mix), and removed
// with node_modules by the next `npm ci`.

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const NPM_PACKAGE_DIR = join(root, "node_modules", "@sparticuz", "chromium");

/** Debian's chromium, offline and quiet (the flags the report test has always used with it). */
const SYSTEM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ChromiumLaunch {
  readonly source: "system" | "npm";
  readonly executablePath: string;
  readonly args: readonly string[];
  /** Environment for the browser process (the npm build gets its own fontconfig file). */
  readonly env: Readonly<Record<string, string>>;
}

/** How to launch a headless Chromium here; unpacks the npm one on first use. */
export async function headlessChromium(): Promise<ChromiumLaunch> {
  const env = inheritedEnv();
  if (existsSync(SYSTEM_CHROMIUM)) {
    return { source: "system", executablePath: SYSTEM_CHROMIUM, args: SYSTEM_FLAGS, env };
  }
  const { default: npmChromium } = await import("@sparticuz/chromium");
  npmChromium.setGraphicsMode = false; // the report is SVG: its flags then turn WebGL off
  const dir = unpackedNpmChromium();
  return {
    source: "npm",
    executablePath: join(dir, "chromium"),
    args: npmChromium.args,
    env: { ...env, FONTCONFIG_FILE: join(dir, "kvsim-fonts.conf") },
  };
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

/**
 * The cache dir holding the unpacked npm Chromium, unpacking it if needed. The unpack runs in a child process
 * whose TMPDIR is a private staging dir (the package writes to os.tmpdir()), then the staging dir is renamed
 * into place, so an interrupted unpack is never mistaken for a finished one, and two runs racing to unpack
 * both end with one complete dir.
 */
function unpackedNpmChromium(): string {
  const version = (
    JSON.parse(readFileSync(join(NPM_PACKAGE_DIR, "package.json"), "utf8")) as { version: string }
  ).version;
  const cacheRoot = join(root, "node_modules", ".cache", "kvsim-chromium");
  const dir = join(cacheRoot, version);
  if (existsSync(dir)) return dir;

  const staging = join(cacheRoot, `${version}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'const { default: c } = await import("@sparticuz/chromium"); await c.executablePath();',
      ],
      { cwd: root, env: { ...process.env, TMPDIR: staging }, stdio: "pipe" },
    );
    // The package's own fonts.conf names /tmp/fonts; this one names the unpacked fonts and keeps fontconfig's
    // cache beside them, so the page renders the same on a machine with no system fonts.
    writeFileSync(
      join(staging, "kvsim-fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, "fonts", "fonts")}</dir>\n  <cachedir>${join(dir, "fontconfig-cache")}</cachedir>\n</fontconfig>\n`,
    );
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error; // else another run finished the same unpack first
  }
  return dir;
}
