// The KV-tiers study's experiment design: does offloading KV blocks to host memory (G2) or local disk (G3) pay?
// Three workloads × three deployments × eight tier configurations = 72 replays that differ only in the factor each
// axis names. Tier configurations: a host tier of 0, 1×, 4× or 16× the GPU cache at 50 GB/s, each without and with
// a disk tier of 64× the GPU cache at 7 GB/s.
//
// Why these settings (each is printed in the study's outputs):
// - Model: KV bytes per token of a 70B model with grouped-query attention (Llama-3.1-70B: 80 layers × 8 KV heads
//   × head dim 128 × 2 (K and V) × 2 bytes (bf16) = 327,680 B/token), so one 64-token block is 21 MB and moves
//   in 0.42 ms over the 50 GB/s host link, 3.0 ms over the 7 GB/s disk link. The engine's perf model stays the
//   default mock's (≈ 48 k prefill tokens/s): at 47 µs/token a disk read is slower than recomputing the token
//   (≈ 21 µs), a host read (6.6 µs/token) faster. The study measures what that does to TTFT.
// - GPU cache: 8192 blocks × 64 tokens = 524,288 tokens per worker (half the default), small next to the traces'
//   working sets (Mooncake conversation: 93 M unique prompt tokens; synthetic: 22 M; the shared-prefix workload:
//   512 prefixes × 8192 tokens = 4.2 M), so evictions are routine and a lower tier has something to hold.
// - Disk: 64× the GPU cache (524,288 blocks, 11 TB at 327,680 B/token), 4× the largest host tier, so with a host
//   tier it still adds capacity, and it holds most of the shared-prefix workload's prefixes.
// - Deployments: a static aggregated cluster (3 workers on the Mooncake traces — the planner study's cheapest
//   static agg cluster for TTFT 2000 ms / ITL 50 ms — and 2 on the shared-prefix workload, where 2 keep the
//   engines busy enough for cache misses to queue); the kvsim planner in the loop, agg and disagg, with the planner
//   study's config of the workload (scaling_policy kvsim, its SLA and predictor; every other planner key at its
//   default), starting from 2 workers or 2P+2D. In disagg only the prefill pool has tiers (decode workers get
//   their KV from prefill).

import type { PlannerWorkloadName } from "../planners/design.js";
import { INITIAL_WORKERS, type PlannerStudyFile, plannerStudyFile } from "../planners/design.js";

export const KV_TIERS_WORKLOADS = [
  "conversation",
  "synthetic",
  "shared-prefix",
] as const satisfies readonly PlannerWorkloadName[];
export type KvTiersWorkloadName = (typeof KV_TIERS_WORKLOADS)[number];

export const KV_TIERS_DEPLOYMENTS = ["static-agg", "planner-agg", "planner-disagg"] as const;
export type KvTiersDeployment = (typeof KV_TIERS_DEPLOYMENTS)[number];

/** Host tier sizes, as multiples of the GPU cache. */
export const HOST_MULTIPLES = [0, 1, 4, 16] as const;
export type HostMultiple = (typeof HOST_MULTIPLES)[number];

export const KV_TIERS_MODEL = "Llama-3.1-70B (80 layers × 8 KV heads × 128 × 2 × 2 B, bf16)";
export const KV_BYTES_PER_TOKEN = 80 * 8 * 128 * 2 * 2;
export const GPU_KV_BLOCKS = 8192;
export const HOST_KV_BANDWIDTH_GB_S = 50;
export const DISK_MULTIPLE = 64;
export const DISK_KV_BANDWIDTH_GB_S = 7;

/** Static cluster size per workload (aggregated workers). */
export const STATIC_WORKERS: Readonly<Record<KvTiersWorkloadName, number>> = {
  conversation: 3,
  synthetic: 3,
  "shared-prefix": 2,
};

export { INITIAL_WORKERS };

/** Engine args every point shares (snake_case, as `--engine-args`): the default mock engine, a smaller cache. */
export const KV_TIERS_BASE_ENGINE_ARGS = {
  num_gpu_blocks: GPU_KV_BLOCKS,
  kv_bytes_per_token: KV_BYTES_PER_TOKEN,
} as const;

export type KvTiersEngineArgs = Readonly<Record<string, number>>;

/** The engine args of one tier configuration: only the tiers present are set (absent = the defaults, no tier). */
export function tierEngineArgs(hostMultiple: HostMultiple, disk: boolean): KvTiersEngineArgs {
  return {
    ...KV_TIERS_BASE_ENGINE_ARGS,
    ...(hostMultiple === 0
      ? {}
      : { host_kv_blocks: hostMultiple * GPU_KV_BLOCKS, host_kv_bandwidth: HOST_KV_BANDWIDTH_GB_S }),
    ...(disk
      ? { disk_kv_blocks: DISK_MULTIPLE * GPU_KV_BLOCKS, disk_kv_bandwidth: DISK_KV_BANDWIDTH_GB_S }
      : {}),
  };
}

export interface KvTiersPoint {
  /** Position in the matrix (the table's row order). */
  readonly index: number;
  /** e.g. "synthetic/planner-disagg/host-16x/disk". */
  readonly id: string;
  readonly workload: KvTiersWorkloadName;
  readonly deployment: KvTiersDeployment;
  readonly hostMultiple: HostMultiple;
  readonly disk: boolean;
  readonly engineArgs: KvTiersEngineArgs;
  /** The planner config file; null for the static cluster. */
  readonly plannerFile: PlannerStudyFile | null;
}

/** The planner config of a planner deployment: the planner study's kvsim config for the workload and mode. */
export function kvTiersPlannerFile(
  workload: KvTiersWorkloadName,
  deployment: KvTiersDeployment,
): PlannerStudyFile | null {
  if (deployment === "static-agg") return null;
  return plannerStudyFile(workload, deployment === "planner-agg" ? "agg" : "disagg", "kvsim", null);
}

/** The 72 points: workload × deployment × disk (off, on) × host (0, 1, 4, 16×), in the table's order. */
export function expandKvTiersMatrix(): KvTiersPoint[] {
  const points: KvTiersPoint[] = [];
  for (const workload of KV_TIERS_WORKLOADS) {
    for (const deployment of KV_TIERS_DEPLOYMENTS) {
      for (const disk of [false, true]) {
        for (const hostMultiple of HOST_MULTIPLES) {
          points.push({
            index: points.length,
            id: `${workload}/${deployment}/host-${hostMultiple}x/${disk ? "disk" : "no-disk"}`,
            workload,
            deployment,
            hostMultiple,
            disk,
            engineArgs: tierEngineArgs(hostMultiple, disk),
            plannerFile: kvTiersPlannerFile(workload, deployment),
          });
        }
      }
    }
  }
  return points;
}

/**
 * The shared-prefix workload: the `shared-prefix` preset (Zipf 1 popularity, 1024 ± 512 new prompt tokens,
 * 256 ± 128 output tokens, Poisson, one turn) with 512 groups × 8192-token prefixes — 4.2 M prefix tokens, 8× a
 * GPU cache — at 8 req/s for 600 s (--quick: 60 s).
 */
export const SHARED_PREFIX = {
  seed: 42,
  prefixGroups: 512,
  prefixTokens: 8192,
  rateReqS: 8,
  durationS: { full: 600, quick: 60 },
} as const;

/** --quick: this many leading requests of each Mooncake trace. */
export const MOONCAKE_QUICK_REQUESTS = { conversation: 400, synthetic: 300 } as const;
