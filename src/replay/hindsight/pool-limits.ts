// The sizes a hindsight or static search may choose: at least max(1, min_endpoint) replicas per pool, at most
// max_gpu_budget GPUs in all (GPUs per replica from prefill_engine_num_gpu / decode_engine_num_gpu, 1 when unset —
// as the planner's own budget, planner/budget.ts). A search needs a finite budget to stay bounded.

import type { PlannerConfig } from "../../planner/config.js";
import { inputErrorAt } from "../../util/errors.js";
import { gpusPerReplica } from "../capabilities.js";
import type { PoolSizes } from "./schedule.js";

export interface PoolLimits {
  readonly disagg: boolean;
  /** Replicas per pool, at least. */
  readonly minReplicas: number;
  readonly budgetGpus: number;
  readonly prefillGpus: number;
  readonly decodeGpus: number;
}

export function poolLimits(config: PlannerConfig, disagg: boolean, source = "planner config"): PoolLimits {
  const prefillGpus = gpusPerReplica(config, "prefill");
  const decodeGpus = gpusPerReplica(config, "decode");
  const minReplicas = Math.max(1, config.minEndpoint);
  if (config.maxGpuBudget < 0) {
    throw inputErrorAt(
      source,
      null,
      "max_gpu_budget",
      `the ${config.scalingPolicy === "hindsight" ? "hindsight" : "cheapest-static"} search needs a GPU budget to stay bounded (got ${config.maxGpuBudget})`,
    );
  }
  const floorGpus = minReplicas * ((disagg ? prefillGpus : 0) + decodeGpus);
  if (floorGpus > config.maxGpuBudget) {
    throw inputErrorAt(
      source,
      null,
      "max_gpu_budget",
      `${config.maxGpuBudget} GPUs cannot hold ${minReplicas} replica(s) per pool (${floorGpus} GPUs needed)`,
    );
  }
  return { disagg, minReplicas, budgetGpus: config.maxGpuBudget, prefillGpus, decodeGpus };
}

/** GPUs of one window at these sizes. */
export function gpusOf(limits: PoolLimits, s: PoolSizes): number {
  return (limits.disagg ? s.prefill * limits.prefillGpus : 0) + s.decode * limits.decodeGpus;
}

export function fits(limits: PoolLimits, s: PoolSizes): boolean {
  const min = limits.minReplicas;
  if (s.decode < min || (limits.disagg && s.prefill < min)) return false;
  return gpusOf(limits, s) <= limits.budgetGpus;
}

/** Most decode (or aggregated) replicas next to `prefill` prefill replicas. */
export function maxDecode(limits: PoolLimits, prefill: number): number {
  const left = limits.budgetGpus - (limits.disagg ? prefill * limits.prefillGpus : 0);
  return Math.floor(left / limits.decodeGpus);
}

/** Most prefill replicas next to `decode` decode replicas (disagg). */
export function maxPrefill(limits: PoolLimits, decode: number): number {
  return Math.floor((limits.budgetGpus - decode * limits.decodeGpus) / limits.prefillGpus);
}
