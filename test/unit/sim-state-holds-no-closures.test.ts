import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Simulation snapshots are generic deep copies (src/util/graph-clone.ts): functions are shared, not copied, and
// #private fields cannot be copied at all. So the simulation's state must live in fields: no closure stored on an
// object (its captured variables would be shared between a simulation and its copies), no #private field. This
// scan keeps it so in every layer a simulation's object graph reaches.

const root = fileURLToPath(new URL("../..", import.meta.url));
const DIRS = ["src/sim", "src/signals", "native-free-kernels"];

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Assignments of a function to a field: `this.x = (…) =>`, `this.x = function`, `this.x = y.bind(`. */
const STORED_FUNCTION = /this\.\w+\s*=\s*(?:\([^)]*\)\s*(?::[^=]+)?=>|\w+\s*=>|function\b|[\w.]+\.bind\()/;
/** A #private class member (declaration or use). */
const PRIVATE_MEMBER = /(?:^|[\s.(!])#[A-Za-z_]\w*/;

describe("simulation state is copyable", () => {
  const files = DIRS.flatMap((d) => tsFiles(join(root, d)));

  it("finds the simulation's sources", () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it("stores no closure on an object and uses no #private field", () => {
    const offenders: string[] = [];
    for (const file of files) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, "").replace(/\/\*.*?\*\//g, "");
        if (/^\s*\*/.test(code)) return; // doc comment
        if (STORED_FUNCTION.test(code) || PRIVATE_MEMBER.test(code)) {
          offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(offenders).toEqual([]);
  });

  it("would catch one", () => {
    expect(STORED_FUNCTION.test("    this.onDone = (id: number) => this.count++;")).toBe(true);
    expect(STORED_FUNCTION.test("    this.cb = cb.bind(this);")).toBe(true);
    expect(PRIVATE_MEMBER.test("  #count = 0;")).toBe(true);
    expect(STORED_FUNCTION.test("    this.count = (a + b) * 2;")).toBe(false);
  });
});
