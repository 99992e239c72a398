import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { isInputError } from "../../src/util/errors.js";

function errorOf(input: unknown): string {
  try {
    parseEngineArgs(input, "--engine-args");
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error("expected an input error");
}

describe("engine args validation", () => {
  it.each([
    [{ max_num_seqs: 0 }, '--engine-args: field "max_num_seqs": must be an integer in 1..1048576 (got 0)'],
    [
      { num_gpu_blocks: 2.5 },
      '--engine-args: field "num_gpu_blocks": must be an integer in 1..16777216 (got 2.5)',
    ],
    [
      { block_size: -1 },
      '--engine-args: field "block_size": must be an integer in 0..1048576 (0 = 64) (got -1)',
    ],
    [
      { max_num_batched_tokens: "8k" },
      '--engine-args: field "max_num_batched_tokens": must be an integer in 1..1073741824, or null (got "8k")',
    ],
    [
      { enable_prefix_caching: 1 },
      '--engine-args: field "enable_prefix_caching": must be true or false (got 1)',
    ],
    [{ watermark: 1 }, '--engine-args: field "watermark": must be a number in [0, 1) (got 1)'],
    [
      { speedup_ratio: "fast" },
      '--engine-args: field "speedup_ratio": must be <= 0 (unscaled) or a number in [0.001, 1000000] (got "fast")',
    ],
    [
      { dp_size: 2 },
      '--engine-args: field "dp_size": must be 1: data-parallel ranks are not simulated (got 2)',
    ],
    [
      { startup_time: -3 },
      '--engine-args: field "startup_time": must be a number of seconds in [0, 1000000], or null (got -3)',
    ],
    [
      { worker_type: "both" },
      '--engine-args: field "worker_type": must be one of "aggregated", "prefill", "decode" (got "both")',
    ],
    [
      { preemption_mode: "LIFO" },
      '--engine-args: field "preemption_mode": must be one of "lifo", "fifo" (got "LIFO")',
    ],
    [
      { kv_transfer_bandwidth: 0 },
      '--engine-args: field "kv_transfer_bandwidth": must be a bandwidth in GB/s in [0.000001, 1000000], or null (got 0)',
    ],
    [
      { kv_bytes_per_token: -1 },
      '--engine-args: field "kv_bytes_per_token": must be a byte count in (0, 1000000000], or null (got -1)',
    ],
    [
      { router_queue_policy: "fifo" },
      '--engine-args: field "router_queue_policy": must be one of "fcfs", "lcfs", "wspt" (got "fifo")',
    ],
    [{ engine_type: "trt" }, '--engine-args: field "engine_type": must be "vllm" (got "trt")'],
  ])("rejects %j", (input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it("names SGLang as unsupported", () => {
    expect(errorOf({ engine_type: "sglang" })).toBe(
      '--engine-args: field "engine_type": "sglang" is not supported: only the vLLM scheduler is simulated (use "vllm")',
    );
  });

  it("rejects unknown fields, listing the accepted ones", () => {
    const message = errorOf({ max_num_seq: 4 });
    expect(
      message.startsWith(
        '--engine-args: field "max_num_seq": unknown field (allowed: engine_type, num_gpu_blocks,',
      ),
    ).toBe(true);
    expect(message).toContain("router_queue_policy)");
  });

  it("rejects malformed JSON and non-objects", () => {
    expect(errorOf("{max_num_seqs: 1}")).toMatch(/^--engine-args: not valid JSON \(/);
    expect(errorOf([1, 2])).toBe("--engine-args: must be a JSON object of engine arguments (got [1,2])");
  });

  it.each([
    [
      "aic",
      '--engine-args: field "perf_model": "aic" is not supported (use "polynomial" or an interpolated table)',
    ],
    [
      "cubic",
      '--engine-args: field "perf_model": must be "polynomial", {"type": "interpolated", "path": "table.json"} or {"type": "interpolated", "table": {...}} (got "cubic")',
    ],
    [
      { type: "interpolated" },
      '--engine-args: field "perf_model": an interpolated model needs exactly one of "path" or "table"',
    ],
    [
      { type: "interpolated", path: "" },
      '--engine-args: field "perf_model.path": must be a non-empty file path (got "")',
    ],
    [
      { type: "linear" },
      '--engine-args: field "perf_model.type": must be "polynomial" or "interpolated" (got "linear")',
    ],
    [
      { type: "polynomial", file: "x" },
      '--engine-args: field "perf_model.file": unknown field (allowed: type, path, table)',
    ],
    [
      { type: "interpolated", table: { prefill_isl: [1, 1] } },
      '--engine-args: field "perf_model.table.prefill_ttft_ms": must be an array of numbers (got nothing)',
    ],
  ])("rejects perf_model %j", (perfModel, message) => {
    expect(errorOf({ perf_model: perfModel })).toBe(message);
  });
});

// docs/limits.md: every numeric engine arg has a range; its ends are accepted and one step beyond is refused.
// Values from issue 14: 10^15 blocks (a RangeError deep in the pool), speedups of 10^308 and 10^±200 (Infinity
// and NaN in the report), 10^-300 (a replay that never ends).
describe("engine args ranges", () => {
  it.each([
    ["num_gpu_blocks", 1, 16_777_216, [0, 16_777_217, 1e9, 1e15]],
    ["block_size", 0, 1_048_576, [-1, 1_048_577]],
    ["max_num_seqs", 1, 1_048_576, [0, 1_048_577]],
    ["max_num_batched_tokens", 1, 1_073_741_824, [0, 1_073_741_825]],
    ["speedup_ratio", 0.001, 1e6, [0.000999, 1e6 + 1, 1e308, 1e200, 1e-200, 1e-300]],
    ["decode_speedup_ratio", 0.001, 1e6, [0.000999, 1e6 + 1, 1e308]],
    ["startup_time", 0, 1e6, [-1e-9, 1e6 + 1]],
    ["kv_transfer_bandwidth", 1e-6, 1e6, [9e-7, 1e6 + 1]],
    ["kv_bytes_per_token", 1e-9, 1e9, [0, 1e9 + 1]],
  ] as const)("%s: accepts %d and %d, refuses %j", (field, low, high, refused) => {
    expect(parseEngineArgs({ [field]: low }, "t")[field]).toBe(
      field === "block_size" && low === 0 ? 64 : low,
    );
    expect(parseEngineArgs({ [field]: high }, "t")[field]).toBe(high);
    for (const value of refused) {
      expect(errorOf({ [field]: value }), `${field} ${value}`).toMatch(
        new RegExp(
          `^--engine-args: field "${field}": must be .* \\(got ${String(value).replace("+", "\\+")}\\)$`,
        ),
      );
    }
  });

  it("keeps non-positive speedups as 'unscaled'", () => {
    expect(parseEngineArgs({ speedup_ratio: 0, decode_speedup_ratio: -5 }, "t")).toMatchObject({
      speedup_ratio: 0,
      decode_speedup_ratio: -5,
    });
  });
});
