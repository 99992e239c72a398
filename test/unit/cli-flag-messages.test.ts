import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runInProcess } from "../support/cli-io-kit.js";

// Flags that used to get a misleading message (or none): each is now one line naming the flag and what is wrong,
// exit 2 — negative numbers reach the range check instead of "argument is ambiguous", only decimal numbers are
// numbers, a JSON scalar is not "no such file", and a flag of the other topology is refused, not ignored.
const TRACE = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));

const CASES: [readonly string[], string][] = [
  [["replay", TRACE, "--num-workers", "-1"], "kvsim: --num-workers: -1 must be in 1..10000"],
  [["replay", TRACE, "--seed", "-3"], "kvsim: --seed: -3 must be in 0..4294967295"],
  [["replay", TRACE, "--arrival-speedup-ratio", "-.5"], "kvsim: --arrival-speedup-ratio: -.5 must be"],
  [
    ["replay", TRACE, "--num-workers", "0x10"],
    'kvsim: --num-workers: "0x10" is not a finite decimal number; must be',
  ],
  [
    ["replay", TRACE, "--num-workers", "Infinity"],
    'kvsim: --num-workers: "Infinity" is not a finite decimal number',
  ],
  [["replay", TRACE, "--num-workers", "2.5"], "kvsim: --num-workers: 2.5 is not an integer"],
  [
    ["replay", TRACE, "--engine-args", "null"],
    'kvsim: --engine-args: null is not a JSON object; pass inline JSON ({"key": value, ...}) or a JSON/YAML file',
  ],
  [["replay", TRACE, "--router-config", "42"], "kvsim: --router-config: 42 is not a JSON object"],
  [
    ["replay", TRACE, "--mode", "disagg", "--num-workers", "4"],
    "kvsim replay: --num-workers applies only to --mode agg; this replay is disagg, so it would be ignored",
  ],
  [
    ["replay", TRACE, "--prefill-engine-args", "{}"],
    "kvsim replay: --prefill-engine-args applies only to --mode disagg; this replay is agg (the default mode), so it would be ignored",
  ],
  [
    ["replay", TRACE, "--planner-config", '{"mode":"agg"}', "--num-decode-workers", "2"],
    "kvsim replay: --num-decode-workers applies only to --mode disagg; this replay is agg (the mode of --planner-config), so it would be ignored",
  ],
  [["trace", "synth", "--zipf", "-1", "-o", "-"], "kvsim: --zipf: -1 must be in [0, 100]"],
  [["sweep", "--grid", "g.yaml", "--threads", "-2"], "kvsim: --threads: -2 must be in 1..256"],
];

describe("misleading flag messages", () => {
  it.each(CASES)("%j", async (argv, expected) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(expected), r.stderr).toBe(true);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("--engine-args is still accepted in disagg (it applies to both pools)", async () => {
    const r = await runInProcess([
      "replay",
      TRACE,
      "--mode",
      "disagg",
      "--engine-args",
      '{"num_gpu_blocks":512}',
      "--quiet",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("a device that is not a trace", () => {
  it.runIf(existsSync("/dev/urandom"))("/dev/urandom is named as not JSON, not as empty", async () => {
    const r = await runInProcess(["trace", "stats", "/dev/urandom"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^kvsim: \/dev\/urandom:\d+: .*(not valid JSON|must be a JSON object|longer than 64 MiB)/,
    );
    expect(r.stderr).not.toContain("empty");
  });
});
