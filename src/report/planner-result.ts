// The planner-in-the-loop result as one plain JSON object (docs/planner-in-the-loop.md#the-result-json). All keys
// snake_case; times in seconds of simulated time unless a key says `_ms`. The HTML report is a pure function of
// this object, so it can be rendered again from a saved JSON file.

import type { PerEngineFpm, TickSnapshot } from "../planner/diagnostics-recorder.js";
import type { KvTierDiscount } from "../planner/kv-tier-discount.js";
import type { KvsimTickDiagnostics } from "../planner/kvsim/diagnostics.js";
import type { LoadReason } from "../planner/types.js";
import type { StageName } from "../signals/stages.js";
import type { SnakeCased } from "../util/snake-case.js";
import type { KvTiersSection } from "./kv-tiers.js";

export interface PlannerReplayResultJson {
  /** The flat replay report (docs/replay.md#the-report keys), wall-time keys included; null = no sample. */
  readonly report: Readonly<Record<string, number | null>>;
  /** Per-tier reuse and onboarding (docs/replay.md#kv-tiers); absent when the workers have no host or disk tier. */
  readonly kv_tiers?: KvTiersSection;
  readonly planner: PlannerSection;
  /** `--compare-hindsight`: the same trace, cluster and SLA under hindsight and the cheapest static cluster. */
  readonly comparison?: ComparisonJson;
}

/** One yardstick's figures beside the planner's. */
export interface YardstickJson {
  readonly gpu_hours: number;
  readonly ttft_fraction: number;
  readonly itl_fraction: number;
  /** The planner's GPU-hours / this yardstick's. */
  readonly planner_ratio: number;
}

export interface ComparisonJson {
  readonly attainment_target: number;
  readonly hindsight: YardstickJson & {
    readonly chosen: "schedule" | "static";
    readonly trials: number;
    /** Provisioned replicas over time per component: [time_s, count] steps from t = 0. */
    readonly replica_steps: Readonly<Record<string, readonly [number, number][]>>;
  };
  readonly cheapest_static: YardstickJson & {
    readonly prefill: number | null;
    readonly decode: number;
    readonly gpus: number;
  };
}

export interface ScalingEventJson {
  readonly at_s: number;
  readonly component: StageName;
  readonly from_count: number;
  readonly to_count: number;
  readonly reason: "scale_up" | "scale_down";
}

export interface ReplicaStatsJson {
  readonly peak: number;
  readonly time_weighted_mean: number;
  readonly initial: number;
  readonly final: number;
}

export interface SlaAttainmentJson {
  readonly ttft_sla_ms: number;
  readonly itl_sla_ms: number;
  readonly ttft_fraction: number;
  readonly itl_fraction: number;
  readonly ttft_requests: number;
  readonly itl_requests: number;
}

/** One engine's load at a tick, as the diagnostics JSON writes it (worker_id, dp_rank, queued_… tokens). */
export type PerEngineFpmJson = SnakeCased<PerEngineFpm>;

/**
 * One DiagnosticsRecorder TickSnapshot in snake_case (keys and order from its field table in
 * planner/diagnostics-recorder.ts), plus kvsim's effective_isl and sticky_kv_hit_rate (TickExtras). A hindsight
 * run's ticks (one per window) carry a hindsight reason in the load reason fields.
 */
export type TickSnapshotJson = Omit<
  SnakeCased<TickSnapshot & TickExtras>,
  "load_decision_reason" | "load_decision_reason_prefill" | "load_decision_reason_decode"
> & {
  readonly load_decision_reason: LoadReason | HindsightReason | null;
  readonly load_decision_reason_prefill: LoadReason | HindsightReason | null;
  readonly load_decision_reason_decode: LoadReason | HindsightReason | null;
};

export interface KvUtilisationJson {
  readonly at_s: number;
  readonly component: StageName;
  readonly worker_id: number;
  readonly active_blocks: number;
  readonly inactive_blocks: number;
  readonly capacity_blocks: number;
}

/**
 * Reasons of a hindsight schedule's window (one diagnostics entry per window): sizes chosen by the search that meet
 * the target, the largest sizes tried when none within the budget does, or the cheapest static cluster when it
 * beat the searched schedule.
 */
export type HindsightReason = "hindsight" | "hindsight_unreachable" | "hindsight_static";

/** Which scaling policy produced a planner section, and whose design it is. Absent for `dynamo` (unchanged output). */
export interface PolicyJson {
  readonly name: "kvsim" | "hindsight";
  /** "dynamo": reproduces NVIDIA Dynamo's planner; "kvsim": kvsim's own design, not in Dynamo. */
  readonly origin: "dynamo" | "kvsim";
  readonly summary: string;
}

export interface HindsightWindowJson {
  readonly start_s: number;
  /** Prefill replicas (null in agg). */
  readonly prefill: number | null;
  /** Decode (agg: aggregated) replicas. */
  readonly decode: number;
  readonly reason: HindsightReason;
  /** Trial simulations the search ran for this window. */
  readonly trials: number;
}

/** A static cluster's figures (the cheapest one meeting the target). */
export interface StaticClusterJson {
  readonly prefill: number | null;
  readonly decode: number;
  readonly gpus: number;
  readonly gpu_hours: number;
  readonly ttft_fraction: number;
  readonly itl_fraction: number;
}

/** How the hindsight schedule was found. */
export interface HindsightJson {
  readonly window_s: number;
  readonly attainment_target: number;
  /** "schedule": the searched schedule; "static": the cheapest static cluster was cheaper (or the only one meeting it). */
  readonly chosen: "schedule" | "static";
  /** Trial simulations of the window search (each from a restored snapshot, until its verdict was known). */
  readonly trials: number;
  /** Full replays of the cheapest-static search. */
  readonly static_replays: number;
  /** The searched schedule's exact GPU-hours (whether chosen or not). */
  readonly schedule_gpu_hours: number;
  readonly schedule_meets_target: boolean;
  readonly static: StaticClusterJson;
  readonly windows: readonly HindsightWindowJson[];
}

export interface PlannerSection {
  readonly mode: "agg" | "disagg";
  /** Trace file name, or "synthetic". */
  readonly trace_name: string;
  /** The planner config as used: every field in snake_case, defaults included. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly ticks: number;
  readonly scaling_events: readonly ScalingEventJson[];
  /** Exact GPU-hours (agg: all under decode). */
  readonly gpu_hours: { readonly prefill: number; readonly decode: number; readonly total: number };
  readonly gpu_hours_tick_sampled: number;
  /** "prefill" and "decode" in disagg, "agg" in agg. */
  readonly replicas: Readonly<Record<string, ReplicaStatsJson>>;
  readonly replica_transitions: number;
  readonly sla_attainment: SlaAttainmentJson;
  readonly diagnostics: readonly TickSnapshotJson[];
  readonly kv_utilisation: readonly KvUtilisationJson[];
  readonly distributions: {
    readonly ttft_ms_cdf: readonly [number, number][];
    readonly itl_ms_cdf: readonly [number, number][];
    readonly mean_itl_ms_cdf: readonly [number, number][];
    /** Onboarding time (ms) of the requests that onboarded KV; present only with host or disk tiers. */
    readonly onboard_ms_cdf?: readonly [number, number][];
  };
  readonly max_kv_tokens: number | null;
  /** Present for policies beyond Dynamo's (`kvsim`, `hindsight`); absent keeps `dynamo` results unchanged. */
  readonly policy?: PolicyJson;
  /** The hindsight search's record (policy `hindsight` only). */
  readonly hindsight?: HindsightJson;
}

/** Per-tick additions of kvsim to a TickSnapshot. */
export interface TickExtras {
  /** Observed ISL × (1 − clamp(sticky hit rate)); null while no window has completed requests. */
  readonly effectiveIsl: number | null;
  /** The hit rate the planner discounts prefill by after this tick (unclamped; null = never observed). */
  readonly stickyKvHitRate: number | null;
  /** Under `scaling_policy: kvsim` only: the policy's record of the tick (null when it had no data yet). */
  readonly kvsim?: KvsimTickDiagnostics | null;
  /**
   * With KV tiers only: the tier discount the policy applied (docs/planner.md#kv-tier-discount; the router's for
   * dynamo, the engines' for kvsim); null while the last drained window had no tier figures (no admission on a tiered worker).
   */
  readonly kvTiers?: KvTierDiscount | null;
}

/** docs/planner.md#kvsim-policy: the signals the kvsim policy read and what each pool needed, per tick. */
export type KvsimTickJson = SnakeCased<KvsimTickDiagnostics>;

/** One applied scaling decision of the planner loop. */
export interface ScalingEvent {
  /** Simulated time of the tick that decided it, seconds. */
  readonly atS: number;
  readonly component: StageName;
  /** Active workers when the decision was applied. */
  readonly fromCount: number;
  readonly toCount: number;
  readonly reason: "scale_up" | "scale_down";
}
