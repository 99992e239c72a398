import type { ClusterSeams } from "../../src/sim/cluster/cluster-engine.js";
import { stageRouterConfig } from "../../src/sim/cluster/router-factory.js";
import { type ReferenceEngineLimits, ReferenceEngineWorker } from "./reference-engine-worker.js";
import { ReferenceRoundRobinRouter } from "./reference-round-robin.js";
import { ReferenceRouter } from "./reference-router.js";

/**
 * Seams that run a ClusterSimulation entirely on the slow references: ReferenceEngine workers (objects per
 * request) and the ReferenceRouter radix tree (KV mode) or ReferenceRoundRobinRouter. Only the cluster loop,
 * the workload driver and the collector are shared with the fast cluster, so comparing the two checks the fast
 * engine, the fast routers and the loop's silent-pass shortcut together. Random routing has no reference.
 */
export function referenceClusterSeams(limits: ReferenceEngineLimits): ClusterSeams {
  return {
    createEngine: (spec) => new ReferenceEngineWorker(spec, limits),
    createRouter: (stage, options, args, requests, rng) => {
      if (options.routerMode === "round_robin")
        return new ReferenceRoundRobinRouter({ blockSize: args.block_size, requests });
      if (options.routerMode === "random") throw new Error("random routing has no reference router");
      return new ReferenceRouter({
        config: stageRouterConfig(stage, options, args),
        blockSize: args.block_size,
        maxNumBatchedTokens: args.max_num_batched_tokens ?? Number.POSITIVE_INFINITY,
        requests,
        rng,
        useReplayHashes: stage !== "decode",
      });
    },
  };
}
