import { describe, expect, it } from "vitest";
import { parseSweepGrid } from "../../src/parallel/sweep/grid.js";
import { parseGridText } from "../../src/parallel/sweep/grid-source.js";
import { InputError } from "../../src/util/errors.js";

/** The one-line error a grid text raises (or "ok"). */
function errorOf(text: string, name = "sweep.yaml"): string {
  try {
    parseSweepGrid(parseGridText(text, name), "/tmp");
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
}

describe("bad grids fail with one line naming file, line and field", () => {
  it("an unknown top-level key, on its line", () => {
    const message = errorOf("workers: [1, 2]\nseeds: [0]\nwrokers: [4]\n");
    expect(message).toMatch(/^sweep\.yaml:3: field "wrokers": unknown field \(allowed: name, traces, /);
  });

  it("a worker count below 1, at its list position", () => {
    expect(errorOf("name: x\nworkers: [1, 0]\n")).toBe(
      'sweep.yaml:2: field "workers[1]": must be an integer in 1..10000 (got 0)',
    );
  });

  it("an engine arg out of range, on the line of the field inside the named config", () => {
    const text = [
      "workers: [1]",
      "engine_args:",
      "  small:",
      "    block_size: 16",
      "    num_gpu_blocks: -5",
      "",
    ];
    expect(errorOf(text.join("\n"))).toBe(
      'sweep.yaml:5: engine_args.small: field "num_gpu_blocks": must be an integer in 1..16777216 (got -5)',
    );
  });

  it("an unknown router-config field inside a list entry", () => {
    const text = ["router_configs:", "  - {}", "  - router_temprature: 0.5", ""];
    expect(errorOf(text.join("\n"))).toMatch(
      /^sweep\.yaml:3: router_configs\[1\]: field "router_temprature": unknown field/,
    );
  });

  it("a malformed prefill:decode split", () => {
    expect(errorOf('prefill_decode: ["1:2", "1:0"]\n')).toBe(
      'sweep.yaml:1: field "prefill_decode[1]": must be "P:D" (prefill and decode worker counts, each an integer in 1..10000) (got "1:0")',
    );
  });

  it("a duplicate worker count (two points would share an id)", () => {
    expect(errorOf("workers:\n  - 2\n  - 4\n  - 2\n")).toBe(
      'sweep.yaml:4: field "workers[2]": duplicate label "agg2" (give it a name)',
    );
  });

  it("a capacity-question key that bounds no metric", () => {
    expect(errorOf("question:\n  ttft_p99_ms: 2000\n  ttft_p99: 5\n")).toMatch(
      /^sweep\.yaml:3: field "question\.ttft_p99": unknown bound \(use <metric>_<stat>_ms/,
    );
  });

  it("a planner config of a topology the grid has no shape for", () => {
    expect(errorOf("workers: [1]\nplanner_configs:\n  scaler: {mode: disagg}\n")).toBe(
      'sweep.yaml:3: field "planner_configs.scaler": a disagg planner needs prefill_decode shapes in the grid (it runs only on its own topology)',
    );
  });

  it("invalid YAML, at the line the parser stopped", () => {
    expect(errorOf("workers: [1, 2\nseeds: [0]\n")).toMatch(/^sweep\.yaml:\d: invalid YAML\/JSON: /);
  });

  it("JSON grids get lines too", () => {
    const json = '{\n  "workers": [1],\n  "seeds": [0, -1]\n}\n';
    expect(errorOf(json, "sweep.json")).toBe(
      'sweep.json:3: field "seeds[1]": must be an integer in 0..4294967295 (got -1)',
    );
  });

  it("a valid grid parses", () => {
    expect(errorOf('workers: [1, 2]\nprefill_decode: ["1:1"]\nseeds: [0, 1]\n')).toBe("ok");
  });
});

describe("grid ranges (docs/limits.md)", () => {
  it.each([
    ["workers: [100000]\n", 'sweep.yaml:1: field "workers[0]": must be an integer in 1..10000 (got 100000)'],
    [
      "arrival_speedup_ratios: [1e-300]\n",
      'field "arrival_speedup_ratios[0]": must be a number in [0.001, 1000000]',
    ],
    ["benchmark_granularity: 100000\n", 'field "benchmark_granularity": must be an integer in 1..256'],
    ["gpus_per_worker: 5000\n", 'field "gpus_per_worker": must be an integer in 1..1024 (got 5000)'],
    [
      "workers: [2]\nprefill_engine_args: {big: {num_gpu_blocks: 1}}\n",
      'sweep.yaml:2: field "prefill_engine_args": applies only to disagg points (prefill_decode), and this grid has none',
    ],
  ])("%j", (text, message) => {
    expect(errorOf(text)).toContain(message);
  });
});
