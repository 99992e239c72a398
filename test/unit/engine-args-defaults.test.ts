import { describe, expect, it } from "vitest";
import { defaultEngineArgs, parseEngineArgs } from "../../src/sim/engine/engine-args.js";

// Engine-args defaults (docs/replay.md#engine-args).
describe("engine args defaults", () => {
  it("fills every default for an empty object", () => {
    expect(defaultEngineArgs()).toEqual({
      engine_type: "vllm",
      num_gpu_blocks: 16384,
      block_size: 64,
      max_num_seqs: 256,
      max_num_batched_tokens: 8192,
      enable_prefix_caching: true,
      enable_chunked_prefill: true,
      watermark: 0.01,
      speedup_ratio: 1,
      decode_speedup_ratio: 1,
      dp_size: 1,
      startup_time: null,
      worker_type: "aggregated",
      preemption_mode: "lifo",
      kv_transfer_bandwidth: null,
      kv_bytes_per_token: null,
      host_kv_blocks: 0,
      host_kv_bandwidth: null,
      disk_kv_blocks: 0,
      disk_kv_bandwidth: null,
      perf_model: { type: "polynomial" },
      router_queue_policy: null,
    });
  });

  it("normalises block_size 0 to the vLLM default 64 and accepts a JSON string", () => {
    expect(parseEngineArgs('{"block_size": 0}', "x").block_size).toBe(64);
    expect(parseEngineArgs(null, "x").block_size).toBe(64);
    const a = parseEngineArgs(
      {
        block_size: 16,
        max_num_batched_tokens: null,
        worker_type: "decode",
        preemption_mode: "fifo",
        startup_time: 2.5,
        kv_transfer_bandwidth: 64,
        kv_bytes_per_token: 131072,
        speedup_ratio: 0,
        router_queue_policy: "wspt",
        perf_model: { type: "interpolated", path: "t.json" },
      },
      "x",
    );
    expect([
      a.block_size,
      a.max_num_batched_tokens,
      a.worker_type,
      a.preemption_mode,
      a.startup_time,
    ]).toEqual([16, null, "decode", "fifo", 2.5]);
    expect(a.perf_model).toEqual({ type: "interpolated", path: "t.json" });
    expect(a.router_queue_policy).toBe("wspt");
  });
});
