import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { kvsim } from "../support/sweep-cli-kit.js";

// The reproduction as a user meets it: compile 50 rows, set byte 52 to 0x36, and every command that
// reads the trace exits 2 with one line (before: V8 aborted with exit 133, "invalid size" and a native stack).

const conversation = fileURLToPath(new URL("../fixtures/replay/conversation-300.jsonl", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "kvsim-kvtrace-corrupt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jsonl = join(dir, "t50.jsonl");
writeFileSync(jsonl, `${readFileSync(conversation, "utf8").split("\n").slice(0, 50).join("\n")}\n`);
const good = join(dir, "t50.kvtrace");
const bad = join(dir, "bad.kvtrace");

describe("a .kvtrace with one corrupted byte", () => {
  it("compiles, and the intact file reads", () => {
    expect(kvsim(["trace", "compile", jsonl, "-o", good, "-q"]).code).toBe(0);
    const bytes = readFileSync(good);
    bytes[52] = 0x36;
    writeFileSync(bad, bytes);
    const r = kvsim(["trace", "stats", "--json", good]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).requests).toBe(50);
  });

  for (const args of [
    ["trace", "stats", bad],
    ["replay", bad, "--quiet"],
  ]) {
    it(`kvsim ${args.filter((a) => a !== bad).join(" ")}: exit 2, one line naming the file`, () => {
      const r = kvsim(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(new RegExp(`^kvsim: ${bad}: corrupt \\.kvtrace file \\([^\\n]+\\)\\n$`));
    });
  }
});
