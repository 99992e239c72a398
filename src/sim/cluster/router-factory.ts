import type { Prng } from "../../../native-free-kernels/prng.js";
import type { StageName } from "../../signals/stages.js";
import type { EngineArgs } from "../engine/engine-args.js";
import type { RequestTable } from "../request-table.js";
import type { Router } from "../router/router.js";
import {
  decodeStageRouterConfig,
  type KvRouterConfig,
  prefillStageRouterConfig,
} from "../router/router-config.js";
import { routerPolicy } from "../router/router-policies.js";
import type { ClusterOptions } from "./cluster-options.js";

/**
 * The KV router config of one stage: agg uses the user's config as given; disagg derives the prefill router's
 * (no active-block tracking) and the decode router's (no overlap weight, no prefill tracking: fewest projected
 * active blocks) from it, as the reference does (docs/design.md#disagg-handoff). An engine-level router_queue_policy overrides the config's.
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
 * The router in front of one stage, of the options' policy (the decode stage's gets no replay hashes,
 * docs/design.md#disagg-handoff).
 */
export function createStageRouter(
  stage: StageName,
  options: ClusterOptions,
  args: EngineArgs,
  requests: RequestTable,
  rng: Prng,
): Router {
  return routerPolicy(options.routerMode).create({
    config: stageRouterConfig(stage, options, args),
    blockSize: args.block_size,
    maxNumBatchedTokens: args.max_num_batched_tokens ?? Number.POSITIVE_INFINITY,
    totalKvBlocks: args.num_gpu_blocks,
    requests,
    rng,
    useReplayHashes: stage !== "decode",
  });
}
