import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { InputError } from "../../src/util/errors.js";

const dir = mkdtempSync(join(tmpdir(), "kvsim-synth-bad-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io = {
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    env: {},
  };
  const code = await runCli(["trace", "synth", ...argv], io);
  return { code, out, err };
}

const CASES: [string[], string][] = [
  [["--requests", "0"], "--requests: 0 must be in 1..50000000"],
  [["--requests", "10", "--duration", "5"], "not both"],
  [["--rate", "1", "--rate-profile", "0:1"], "--rate or --rate-profile, not both"],
  [["--rate", "0"], "--rate: 0 must be in (0, 1000000]"],
  [["--arrival", "weibull"], '--arrival: must be poisson, gamma or constant, got "weibull"'],
  [["--cv", "2"], "--cv: applies only to --arrival gamma"],
  [["--cv", "1"], "--cv: applies only to --arrival gamma"],
  [["--arrival", "gamma", "--cv", "0"], "--cv: 0 must be in (0, 100]"],
  [["--isl", "lognormal:-5:3"], "--isl: lognormal MEAN must be a finite number > 0"],
  [["--isl", "uniform:5:2"], "--isl: HI 2 is below LO 5"],
  [["--isl", "banana"], '--isl: "banana": "banana" is not a finite number'],
  [["--isl", "normal:5:2"], "is not a distribution"],
  [["--osl", "0"], "--osl: value must be >= 1, got 0"],
  [["--turns", "1.5"], "--turns: value must be an integer, got 1.5"],
  [["--think-time-ms", "fixed:-1"], "--think-time-ms: value must be >= 0"],
  [["--prefix-groups", "4"], "--prefix-tokens: 0 is shorter than one trace block (512 tokens)"],
  [["--prefix-tokens", "1000"], "--prefix-tokens: needs --prefix-groups >= 1"],
  [["--zipf", "1"], "--zipf: needs --prefix-groups >= 1"],
  [["--preset", "nope"], '--preset: unknown preset "nope" (known: shared-prefix)'],
  [["--seed", "abc"], '--seed: "abc" is not a finite decimal number'],
  [["--seed", "0x10"], '--seed: "0x10" is not a finite decimal number'],
  [["--zipf", "-1", "--prefix-groups", "2", "--prefix-tokens", "1024"], "--zipf: -1 must be in [0, 100]"],
  [["--requests", "-5"], "--requests: -5 must be in 1..50000000"],
  [["--isl", "lognormal:1e12:1"], "--isl: lognormal MEAN must be <= 2147483647, got 1000000000000"],
  [
    ["--requests", "1", "--isl", "2147483000", "--prefix-groups", "1", "--prefix-tokens", "1024"],
    "--isl: a first-turn prompt of 2147484024 tokens (after the 1024-token shared prefix) is longer than 2147483647 tokens",
  ],
  [
    ["--requests", "2", "--isl", "1073741824", "--turns", "3", "--osl", "1"],
    "--turns: a session's prompt grows past 2147483647 tokens by turn 2",
  ],
  [["--turns", "200000"], "--turns: value must be <= 100000, got 200000"],
  [["--duration", "1e12"], "--duration: 1e12 must be in (0, 1000000000]"],
  [["--rate", "1e7"], "--rate: 1e7 must be in (0, 1000000]"],
  [["--rate-profile", "0:1,1e10:2"], "--rate-profile: times must be <= 1000000000 s, got 10000000000"],
  [["--foo"], "Unknown option '--foo'"],
  [["extra"], 'unexpected argument "extra"'],
  [["--rate-profile", "0:2,600:0", "--requests", "100000"], "ends at 0 req/s: only"],
  [["--duration", "0.5", "--rate", "0.001"], "--duration: no session arrives within 0.5 s"],
  [["--trace-block-size", "0"], "--trace-block-size: 0 must be in 1..1048576"],
];

describe("bad knobs give a one-line error, exit code 2 and no output file", () => {
  it.each(CASES)("%j → %s", async (argv, expected) => {
    const path = join(dir, `out-${argv.join("_").replace(/[^\w.-]/g, "")}.jsonl`);
    const { code, out, err } = await run([...argv, "-o", path]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(expected);
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).toMatch(/^kvsim( [a-z][a-z -]*)?: /); // "kvsim: …" or "kvsim <command>: …"
    expect(existsSync(path)).toBe(false);
  });

  it("requires -o", async () => {
    const { code, err } = await run(["--requests", "5"]);
    expect(code).toBe(2);
    expect(err).toContain("-o/--output FILE is required");
  });

  it("--help prints every knob and exits 0", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    for (const flag of ["--requests", "--duration", "--rate-profile", "--arrival", "--cv", "--isl", "--osl"])
      expect(out).toContain(flag);
    for (const flag of [
      "--prefix-groups",
      "--prefix-tokens",
      "--zipf",
      "--turns",
      "--think-time-ms",
      "--preset",
    ])
      expect(out).toContain(flag);
  });

  it("the library refuses the same knobs with InputError", () => {
    expect(() => synthesizeTrace({ requests: 10, durationS: 5 })).toThrow(InputError);
    expect(() => synthesizeTrace({ prefixGroups: 2, prefixTokens: 100 })).toThrow(
      /shorter than one trace block/,
    );
    expect(() => synthesizeTrace({ seed: Number.NaN })).toThrow(/--seed/);
  });
});
