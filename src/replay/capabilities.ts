// Engine capabilities the planner sizes against, derived from the mock engine args as the replay CLI does
// (docs/design.md#tick-input): GPUs per replica from the planner config (1 when unset), the batch limits, and
// context_length = max_kv_tokens = num_gpu_blocks × block_size.

import type { PlannerConfig } from "../planner/config.js";
import type { EngineCapabilities, WorkerCapabilities } from "../planner/types.js";
import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import type { EngineArgs } from "../sim/engine/engine-args.js";

/** KV capacity of one worker, tokens. */
export function maxKvTokensOf(args: EngineArgs): number {
  return args.num_gpu_blocks * args.block_size;
}

/**
 * One engine's capabilities. An unlimited token budget (`max_num_batched_tokens: null`) stays unknown (null),
 * as upstream passes it through: SLA prefill estimates then report `insufficient_data`.
 */
export function engineCapabilities(args: EngineArgs, numGpu: number): EngineCapabilities {
  const kvTokens = maxKvTokensOf(args);
  return {
    numGpu,
    maxNumBatchedTokens: args.max_num_batched_tokens,
    maxNumSeqs: args.max_num_seqs,
    contextLength: kvTokens > 0 ? kvTokens : null,
    maxKvTokens: kvTokens > 0 ? kvTokens : null,
    startupTimeS: args.startup_time,
  };
}

/** GPUs per replica: the planner config's `*_engine_num_gpu`, else 1 (a mock worker stands for one GPU). */
export function gpusPerReplica(config: PlannerConfig, component: "prefill" | "decode"): number {
  return (component === "prefill" ? config.prefillEngineNumGpu : config.decodeEngineNumGpu) ?? 1;
}

/** Agg: decode capabilities only (agg workers live in the decode slot). Disagg: one per pool. */
export function replayCapabilities(options: ClusterOptions, config: PlannerConfig): WorkerCapabilities {
  if (options.mode === "agg") {
    return { decode: engineCapabilities(options.engineArgs, gpusPerReplica(config, "decode")) };
  }
  return {
    prefill: engineCapabilities(options.prefillEngineArgs, gpusPerReplica(config, "prefill")),
    decode: engineCapabilities(options.decodeEngineArgs, gpusPerReplica(config, "decode")),
  };
}
