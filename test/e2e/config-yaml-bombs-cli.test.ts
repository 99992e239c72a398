import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { billionLaughs } from "../support/config-bomb-kit.js";
import { kvsim } from "../support/sweep-cli-kit.js";

// A billion-laughs YAML file in every flag that takes a config file: exit 2 and one line naming the file,
// never a stack trace (before: --planner-config, sweep --grid and plan --config died with a ReferenceError).

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));
const trace = join(fixtures, "trace", "valid-small.jsonl");
const observations = join(fixtures, "planner", "obs-agg-load-only.jsonl");
const dir = mkdtempSync(join(tmpdir(), "kvsim-yaml-bombs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bomb = join(dir, "bomb.yaml");
writeFileSync(bomb, billionLaughs());

const TOO_FAR = 'YAML aliases expand too far (more than 1000 repeated nodes; a "billion laughs" document?)';

describe("billion laughs in a config file: one line, exit 2", () => {
  for (const [what, args, prefix] of [
    ["replay --planner-config", ["replay", trace, "--planner-config", bomb], "bomb.yaml"],
    ["sweep --grid", ["sweep", "--grid", bomb, "--out", join(dir, "sweep-out")], "bomb.yaml"],
    ["plan --config", ["plan", "--config", bomb, "--observations", observations], "bomb.yaml"],
    ["replay --engine-args", ["replay", trace, "--engine-args", bomb], `--engine-args: ${bomb}`],
    ["replay --router-config", ["replay", trace, "--router-config", bomb], `--router-config: ${bomb}`],
  ] as const) {
    it(what, () => {
      const r = kvsim([...args, "--quiet"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`kvsim: ${prefix}: ${TOO_FAR}\n`);
    });
  }
});
