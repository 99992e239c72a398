import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const MAX_ENTRY_NAMES = 80;

interface ExportedName {
  readonly name: string;
  readonly typeOnly: boolean;
  readonly from: string;
}

/** Names of every `export { … } from "…"` / `export type { … } from "…"` statement (the only forms allowed). */
function exportedNames(sourcePath: string): ExportedName[] {
  const text = readFileSync(join(root, sourcePath), "utf8");
  const names: ExportedName[] = [];
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    const blockIsType = m[1] !== undefined;
    for (const part of (m[2] as string).split(",")) {
      const item = part.trim();
      if (item === "") continue;
      const typeOnly = blockIsType || item.startsWith("type ");
      names.push({ name: item.replace(/^type\s+/, ""), typeOnly, from: m[3] as string });
    }
  }
  return names;
}

async function builtModule(distPath: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(root, distPath)).href)) as Record<string, unknown>;
}

describe("the package entry and kvsim/internals", () => {
  const entry = exportedNames("src/index.ts");
  const internals = exportedNames("src/internals.ts");

  it(`the entry holds at most ${MAX_ENTRY_NAMES} names, runtime and type-only together`, async () => {
    const built = await builtModule("dist/src/index.js");
    const runtime = Object.keys(built);
    const typeOnly = entry.filter((e) => e.typeOnly).map((e) => e.name);
    // The parse must agree with the built module on the runtime names, or its type count means nothing.
    expect(runtime.sort()).toEqual(
      entry
        .filter((e) => !e.typeOnly)
        .map((e) => e.name)
        .sort(),
    );
    expect(typeOnly.length).toBeGreaterThan(0);
    expect(runtime.length + typeOnly.length).toBeLessThanOrEqual(MAX_ENTRY_NAMES);
  });

  it("every runtime name of the entry and of internals resolves to a value", async () => {
    for (const [source, dist, names] of [
      ["src/index.ts", "dist/src/index.js", entry],
      ["src/internals.ts", "dist/src/internals.js", internals],
    ] as const) {
      const built = await builtModule(dist);
      const unresolved = names.filter((e) => !e.typeOnly && built[e.name] === undefined).map((e) => e.name);
      expect(unresolved, source).toEqual([]);
      expect(Object.values(built).filter((v) => v === undefined)).toEqual([]);
    }
  });

  it("uses explicit named exports only (no export *)", () => {
    for (const file of ["src/index.ts", "src/internals.ts"]) {
      expect(readFileSync(join(root, file), "utf8")).not.toMatch(/^\s*export\s+\*/m);
    }
  });

  it("internals repeats no entry name and exports nothing from the tests (no oracles)", () => {
    const entryNames = new Set(entry.map((e) => e.name));
    expect(internals.filter((e) => entryNames.has(e.name)).map((e) => e.name)).toEqual([]);
    expect(internals.length).toBeGreaterThan(100);
    expect(
      [...entry, ...internals].filter((e) => e.from.includes("test/") || /reference|oracle/i.test(e.from)),
    ).toEqual([]);
  });

  it('package.json maps "." and "./internals" to built files with their types', () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, { types: string; default: string }>;
    };
    expect(pkg.exports["."]).toEqual({ types: "./dist/src/index.d.ts", default: "./dist/src/index.js" });
    expect(pkg.exports["./internals"]).toEqual({
      types: "./dist/src/internals.d.ts",
      default: "./dist/src/internals.js",
    });
    for (const target of Object.values(pkg.exports)) {
      expect(existsSync(join(root, target.default)), target.default).toBe(true);
      expect(existsSync(join(root, target.types)), target.types).toBe(true);
    }
  });
});
