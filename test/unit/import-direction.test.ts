import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Which layers each layer may import (besides itself). Arrows point one way, downwards:
 * cli → parallel → studies → replay → report → sim | planner → signals → trace → util | kernels.
 */
const KERNELS_AND_UTIL = ["util", "native-free-kernels"];
const BELOW_SIM = [...KERNELS_AND_UTIL, "trace", "signals"];
const BELOW_REPLAY = [...BELOW_SIM, "sim", "planner", "report"];
const ALLOWED: Record<string, readonly string[]> = {
  "native-free-kernels": [],
  util: [],
  trace: KERNELS_AND_UTIL,
  signals: [...KERNELS_AND_UTIL, "trace"],
  planner: BELOW_SIM,
  sim: BELOW_SIM,
  report: [...BELOW_SIM, "sim", "planner"],
  replay: BELOW_REPLAY,
  studies: [...BELOW_REPLAY, "replay"],
  parallel: [...BELOW_REPLAY, "replay", "studies"],
  cli: [...BELOW_REPLAY, "replay", "studies", "parallel"],
  index: [...BELOW_REPLAY, "replay", "studies", "parallel", "cli"],
};

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

function layerOf(file: string): string {
  const rel = relative(root, file).split("/");
  if (rel[0] === "native-free-kernels") return "native-free-kernels";
  if (rel[0] === "src" && rel.length === 2) return "index";
  return rel[1] ?? "?";
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)[^"'\n]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) specs.push((m[1] ?? m[2]) as string);
  return specs;
}

describe("import direction", () => {
  const files = [...tsFiles(join(root, "src")), ...tsFiles(join(root, "native-free-kernels"))];

  it("finds the project's source files", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it("kernels import nothing but other kernels (no node:*, no packages, no src/)", () => {
    const offenders: string[] = [];
    for (const file of files.filter((f) => layerOf(f) === "native-free-kernels")) {
      for (const spec of importsOf(file)) {
        const target = spec.startsWith(".") ? resolve(file, "..", spec) : spec;
        if (!spec.startsWith(".") || layerOf(target) !== "native-free-kernels")
          offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("every relative import points down or sideways, never up", () => {
    const offenders: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith(".")) continue;
        const to = layerOf(resolve(file, "..", spec));
        if (to !== from && !(ALLOWED[from] ?? []).includes(to))
          offenders.push(`${relative(root, file)} (${from}) → ${spec} (${to})`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
