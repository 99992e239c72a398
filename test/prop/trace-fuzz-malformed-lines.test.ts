import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { memoryIo } from "../oracles/trace-reference.js";

// Seeded malformed lines, each planted among valid ones: `kvsim trace stats` must exit 2 with exactly one
// stderr line naming the file, the bad line's number and the field (or "not valid JSON" when the line breaks
// off outside any field), and never a stack trace.

const dir = mkdtempSync(join(tmpdir(), "kvsim-trace-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Fields = Record<string, unknown>;
const valid = (i: number): Fields => ({
  timestamp: 1000 * i,
  input_length: 700,
  output_length: 5,
  hash_ids: [0, i + 1],
});

const NUMERIC = ["timestamp", "input_length", "output_length"] as const;
const RAW = "__raw__"; // marker: the value is written verbatim (not JSON-encoded)

interface Mutation {
  /** The rendered bad line. */
  line: string;
  /** What the message must name: `field "x"`, or a phrase such as "not valid JSON". */
  expect: string;
}

function render(f: Fields): string {
  const parts = Object.entries(f).map(([k, v]) => {
    const value = typeof v === "string" && v.startsWith(RAW) ? v.slice(RAW.length) : JSON.stringify(v);
    return `${JSON.stringify(k)}: ${value}`;
  });
  return `{${parts.join(", ")}}`;
}

const fieldOf = (name: string) => `field "${name}"`;

const mutationArb: fc.Arbitrary<(i: number) => Mutation> = fc.oneof(
  // wrong type
  fc
    .tuple(fc.constantFrom(...NUMERIC, "hash_ids"), fc.constantFrom('"12"', "true", "null", "{}", '{"a": 1}'))
    .map(([field, raw]) => (i: number) => ({
      line: render({ ...valid(i), [field]: RAW + raw }),
      expect: fieldOf(field),
    })),
  // negative / fractional / non-finite / beyond the limits
  fc
    .tuple(
      fc.constantFrom(...NUMERIC),
      fc.constantFrom(
        "-1",
        "-0.5",
        "2.5",
        "1e400",
        "-1e400",
        "9007199254740993",
        "99999999999999999999",
        "4294967296.5",
      ),
    )
    // a fractional or merely large timestamp is valid (ms); only the other rules apply to it
    .filter(([field, raw]) => !(field === "timestamp" && (raw === "2.5" || raw === "4294967296.5")))
    .map(([field, raw]) => (i: number) => ({
      line: render({ ...valid(i), [field]: RAW + raw }),
      expect: fieldOf(field),
    })),
  // NaN, Infinity and other non-JSON number spellings
  fc
    .tuple(
      fc.constantFrom(...NUMERIC, "hash_ids"),
      fc.constantFrom("NaN", "Infinity", "-Infinity", "+5", ".5", "0x10", "1.", "1e", "01"),
    )
    .map(([field, raw]) => (i: number) => ({
      line: render({ ...valid(i), [field]: RAW + (field === "hash_ids" ? `[0, ${raw}]` : raw) }),
      expect: fieldOf(field),
    })),
  // bad hash ids
  fc
    .constantFrom(
      "[0, -1]",
      "[0, 1.5]",
      "[0, 9007199254740992]",
      '[0, "1"]',
      "[0, [1]]",
      "[0, null]",
      "[0, 1e300]",
    )
    .map((raw) => (i: number) => ({
      line: render({ ...valid(i), hash_ids: RAW + raw }),
      expect: fieldOf("hash_ids"),
    })),
  // wrong number of hash ids for input_length 700 (needs ceil(700/512) = 2)
  fc.constantFrom("[]", "[0]", "[0, 1, 2]", "[0, 1, 2, 3, 4]").map((raw) => (i: number) => ({
    line: render({ ...valid(i), hash_ids: RAW + raw }),
    expect: fieldOf("hash_ids"),
  })),
  // a missing required field
  fc.constantFrom(...NUMERIC, "hash_ids").map((field) => (i: number) => {
    const f = Object.fromEntries(Object.entries(valid(i)).filter(([k]) => k !== field));
    return { line: render(f), expect: fieldOf(field) };
  }),
  // a duplicated field
  fc.constantFrom(...NUMERIC).map((field) => (i: number) => ({
    line: render(valid(i)).replace(/}$/, `, "${field}": 1}`),
    expect: fieldOf(field),
  })),
  // timestamps going backwards (the line before has 1000·(i−1))
  fc.integer({ min: 1, max: 998 }).map((back) => (i: number) => ({
    line: render({ ...valid(i), timestamp: 1000 * (i - 1) - back }),
    expect: fieldOf("timestamp"),
  })),
  // bad session ids and delays
  fc.constantFrom("1.5", "true", "[1]", '{"s": 1}', "1e400").map((raw) => (i: number) => ({
    line: render({ ...valid(i), session_id: RAW + raw }),
    expect: fieldOf("session_id"),
  })),
  fc.constantFrom("-1", "-0.001", "1e400", '"5"', "[5]", "NaN").map((raw) => (i: number) => ({
    line: render({ ...valid(i), session_id: "s", delay: RAW + raw }),
    expect: fieldOf("delay"),
  })),
  // a non-zero delay on a session's first turn
  fc.integer({ min: 1, max: 10_000 }).map((d) => (i: number) => ({
    line: render({ ...valid(i), session_id: `new-${i}`, delay: d }),
    expect: fieldOf("delay"),
  })),
  // truncated JSON (cut anywhere before the closing brace; never at 0, which would be a blank line)
  fc.double({ min: 0, max: 1, noNaN: true }).map((cut) => (i: number) => {
    const full = render(valid(i));
    const at = 1 + Math.floor(cut * (full.length - 2));
    return { line: full.slice(0, at), expect: "not valid JSON" };
  }),
  // not JSON at all, or JSON that is not an object
  fc
    .constantFrom(
      ["hello", "not valid JSON"],
      ["{timestamp: 1}", "not valid JSON"],
      ["{} {}", "not valid JSON"],
      ['{"a": 1,}', "not valid JSON"],
      ["{'a': 1}", "not valid JSON"],
      ["[1, 2, 3]", "must be a JSON object (got an array)"],
      ['"text"', "must be a JSON object (got a string)"],
      ["42", "must be a JSON object (got a number)"],
      ["{}", 'field "timestamp": is required'],
    )
    .map(([line, text]) => () => ({ line, expect: text })),
);

const caseArb = fc.record({
  mutate: mutationArb,
  before: fc.integer({ min: 0, max: 6 }),
  after: fc.integer({ min: 0, max: 3 }),
});

function plant(c: { mutate: (i: number) => Mutation; before: number; after: number }, name: string) {
  const lines: string[] = [];
  for (let i = 1; i <= c.before; i++) lines.push(render(valid(i)));
  const bad = c.mutate(c.before + 1);
  lines.push(bad.line);
  for (let i = c.before + 2; i <= c.before + 1 + c.after; i++) lines.push(render(valid(i)));
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { path, lineNo: c.before + 1, expect: bad.expect };
}

function checkMessage(stderr: string, path: string, lineNo: number, expectText: string): void {
  const lines = stderr.split("\n");
  expect(lines).toHaveLength(2); // one line, newline-terminated
  expect(lines[1]).toBe("");
  expect(lines[0]?.startsWith(`kvsim: ${path}:${lineNo}: `)).toBe(true);
  expect(lines[0]).toContain(expectText);
  expect(stderr).not.toMatch(/\n\s+at |Error:/);
}

describe("malformed trace lines: one line on stderr, exit code 2, no stack trace", () => {
  it("240 seeded malformed lines through runCli", async () => {
    const cases = fc.sample(caseArb, { seed: 42, numRuns: 240 });
    let n = 0;
    for (const c of cases) {
      const { path, lineNo, expect: text } = plant(c, `case-${n++}.jsonl`);
      const { io, stdout, stderr } = memoryIo();
      const code = await runCli(["trace", "stats", path], io);
      expect({ code, out: stdout() }).toEqual({ code: 2, out: "" });
      checkMessage(stderr(), path, lineNo, text);
    }
    expect(n).toBe(240);
  });

  it("a handful through the real CLI binary", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const cli = join(root, "dist", "src", "cli", "main.js");
    const cases = fc.sample(caseArb, { seed: 7, numRuns: 6 });
    let n = 0;
    for (const c of cases) {
      const { path, lineNo, expect: text } = plant(c, `bin-${n++}.jsonl`);
      const r = spawnSync(process.execPath, [cli, "trace", "stats", path], {
        encoding: "utf8",
        env: { ...process.env, CI: "1" },
      });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      checkMessage(r.stderr, path, lineNo, text);
    }
  });
});
