import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { replayCapabilities } from "../../src/replay/capabilities.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";

describe("engine capabilities from the mock engine args (docs/design.md#tick-input)", () => {
  it("agg fills only the decode slot; GPUs per replica come from the planner config, else 1", () => {
    const options = resolveClusterOptions(
      {
        mode: "agg",
        engineArgs: { num_gpu_blocks: 1000, block_size: 32, max_num_seqs: 64, max_num_batched_tokens: 4096 },
      },
      512,
    );
    expect(replayCapabilities(options, parsePlannerConfig({ mode: "agg" }))).toEqual({
      // context_length = max_kv_tokens = 1000 blocks × 32 tokens
      decode: {
        numGpu: 1,
        maxNumBatchedTokens: 4096,
        maxNumSeqs: 64,
        contextLength: 32_000,
        maxKvTokens: 32_000,
        startupTimeS: null,
      },
    });
    expect(
      replayCapabilities(options, parsePlannerConfig({ mode: "agg", decode_engine_num_gpu: 4 })).decode
        ?.numGpu,
    ).toBe(4);
  });

  it("disagg describes each pool from its own args; an unlimited token budget stays unknown", () => {
    const options = resolveClusterOptions(
      {
        mode: "disagg",
        prefillEngineArgs: { max_num_batched_tokens: null },
        decodeEngineArgs: { num_gpu_blocks: 100 },
      },
      512,
    );
    const caps = replayCapabilities(options, parsePlannerConfig({ prefill_engine_num_gpu: 2 }));
    expect(caps.prefill).toEqual({
      numGpu: 2,
      maxNumBatchedTokens: null,
      maxNumSeqs: 256,
      contextLength: 16384 * 64,
      maxKvTokens: 16384 * 64,
      startupTimeS: null,
    });
    expect(caps.decode).toEqual({
      numGpu: 1,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 256,
      contextLength: 6400,
      maxKvTokens: 6400,
      startupTimeS: null,
    });
  });
});
