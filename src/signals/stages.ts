// The one list of stages a simulated cluster has: an aggregated pool, or a prefill and a decode pool. The engine
// role, the router's stage, the planner's scaling component and the report's component all name these.

export const STAGE_NAMES = ["agg", "prefill", "decode"] as const;

/** A pool of engines: `agg` serves whole requests; `prefill` and `decode` split them (disaggregated serving). */
export type StageName = (typeof STAGE_NAMES)[number];

/** What an engine does (engine args' `worker_type`, the reference's vocabulary): one per stage. */
export const ENGINE_ROLES = ["aggregated", "prefill", "decode"] as const;
export type EngineRole = (typeof ENGINE_ROLES)[number];

/** The role of the engines of a stage: an `agg` pool runs `aggregated` engines. */
export function engineRoleOf(stage: StageName): EngineRole {
  return stage === "agg" ? "aggregated" : stage;
}
