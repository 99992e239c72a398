import type { Prng } from "../../../native-free-kernels/prng.js";
import type { StageName } from "../../signals/stages.js";
import type { EngineArgs } from "../engine/engine-args.js";
import type { RequestTable } from "../request-table.js";
import { RandomRouter, RoundRobinRouter } from "../router/baseline-routers.js";
import { KvRouter } from "../router/kv-router.js";
import type { Router } from "../router/router.js";
import {
  decodeStageRouterConfig,
  type KvRouterConfig,
  prefillStageRouterConfig,
} from "../router/router-config.js";
import type { ClusterOptions } from "./cluster-options.js";

/**
 * The KV router config of one stage: agg uses the user's config as given; disagg derives the prefill router's
 * (no active-block tracking) and the decode router's (no overlap weight, no prefill tracking: fewest projected
 * active blocks) from it, as docs/design.md#disagg-handoff describes. An engine-level router_queue_policy
 * overrides the config's.
 */
export function stageRouterConfig(
  stage: StageName,
  options: ClusterOptions,
  args: EngineArgs,
): KvRouterConfig {
  const config =
    stage === "agg"
      ? options.routerConfig
      : stage === "prefill"
        ? prefillStageRouterConfig(options.routerConfig)
        : decodeStageRouterConfig(options.routerConfig);
  const policy = args.router_queue_policy;
  return policy === null ? config : { ...config, router_queue_policy: policy };
}

/**
 * The router in front of one stage (the decode stage's KV router has no replay hashes,
 * docs/design.md#disagg-handoff).
 */
export function createStageRouter(
  stage: StageName,
  options: ClusterOptions,
  args: EngineArgs,
  requests: RequestTable,
  rng: Prng,
): Router {
  if (options.routerMode === "round_robin")
    return new RoundRobinRouter({ blockSize: args.block_size, requests });
  if (options.routerMode === "random") return new RandomRouter({ blockSize: args.block_size, requests, rng });
  return new KvRouter({
    config: stageRouterConfig(stage, options, args),
    blockSize: args.block_size,
    maxNumBatchedTokens: args.max_num_batched_tokens ?? Number.POSITIVE_INFINITY,
    totalKvBlocks: args.num_gpu_blocks,
    requests,
    rng,
    useReplayHashes: stage !== "decode",
  });
}
