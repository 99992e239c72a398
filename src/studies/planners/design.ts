// The planner study's experiment design: four workloads × two topologies × five planners = 40 replays.
// Planners: `dynamo` (the reference SLA planner) and `kvsim` (docs/planner.md#kvsim-policy), each with
// kv_hit_rate_awareness on and off, and `hindsight` (the clairvoyant schedule, docs/planner.md#hindsight), whose
// search also finds the cheapest static cluster meeting the same SLA — the study's fifth column.
//
// Why these settings (each is printed in the study's outputs):
// - Mooncake conversation and synthetic: the measured setting — default engines, KV router with its
//   default queue threshold, TTFT 2000 ms / ITL 50 ms, constant predictor, throughput every 60 s, load every 5 s.
// - Shared-prefix ramp: the KV-reuse study's (prefill 4× slower, rate 2 → 24 → 2 req/s over 600 s, TTFT 1000 ms,
//   ITL 40 ms), with the Kalman predictor (a local linear trend follows a ramp).
// - Bursty multi-turn: gamma arrivals of sessions (CV 3) with two peaks (1 → 8 sessions/s), 1–5 turns each,
//   shared prefixes, on the same prefill-slow engines that take 30 s to start: what a planner decides now is
//   ready half a minute later. TTFT 2000 ms, ITL 40 ms, Kalman.
// - Every run starts from 2 workers (agg) or 2P+2D (disagg), 1 GPU per replica, budget 64 GPUs, min_endpoint 1,
//   SLA attainment target 0.95 (what kvsim aims for and hindsight must meet).

import type { SynthSpec } from "../../trace/synth/synth-spec.js";

export const PLANNER_STUDY_WORKLOADS = ["conversation", "synthetic", "shared-prefix", "bursty"] as const;
export type PlannerWorkloadName = (typeof PLANNER_STUDY_WORKLOADS)[number];
export const PLANNER_STUDY_MODES = ["agg", "disagg"] as const;
export type PlannerStudyMode = (typeof PLANNER_STUDY_MODES)[number];
export const PLANNER_STUDY_POLICIES = ["dynamo", "kvsim", "hindsight"] as const;
export type PlannerStudyPolicy = (typeof PLANNER_STUDY_POLICIES)[number];

/** Engine args (snake_case, as `--engine-args`) of every pool of a workload; {} = the default mock engine. */
const SLOW_PREFILL = { speedup_ratio: 0.25, decode_speedup_ratio: 4 } as const;
export const PLANNER_STUDY_ENGINE_ARGS: Readonly<
  Record<PlannerWorkloadName, Readonly<Record<string, number>>>
> = {
  conversation: {},
  synthetic: {},
  "shared-prefix": SLOW_PREFILL,
  bursty: { ...SLOW_PREFILL, startup_time: 30 },
};

export interface WorkloadSla {
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly predictor: "constant" | "kalman";
}

export const PLANNER_STUDY_SLA: Readonly<Record<PlannerWorkloadName, WorkloadSla>> = {
  conversation: { ttftMs: 2000, itlMs: 50, predictor: "constant" },
  synthetic: { ttftMs: 2000, itlMs: 50, predictor: "constant" },
  "shared-prefix": { ttftMs: 1000, itlMs: 40, predictor: "kalman" },
  bursty: { ttftMs: 2000, itlMs: 40, predictor: "kalman" },
};

export const INITIAL_WORKERS = { agg: 2, prefill: 2, decode: 2 } as const;
export const SLA_ATTAINMENT_TARGET = 0.95;
export const GPU_BUDGET = 64;

/** Planner keys every point shares (snake_case, as a `--planner-config` file). */
const PLANNER_BASE = {
  optimization_target: "sla",
  enable_load_scaling: true,
  enable_throughput_scaling: true,
  load_adjustment_interval: 5,
  throughput_adjustment_interval: 60,
  max_gpu_budget: GPU_BUDGET,
  min_endpoint: 1,
  sla_attainment_target: SLA_ATTAINMENT_TARGET,
} as const;

export type PlannerStudyFile = Readonly<Record<string, string | number | boolean>>;

export interface PlannerStudyPoint {
  /** Position in the matrix (the table's row order). */
  readonly index: number;
  /** e.g. "bursty/disagg/kvsim/on"; hindsight has no awareness suffix. */
  readonly id: string;
  readonly workload: PlannerWorkloadName;
  readonly mode: PlannerStudyMode;
  readonly policy: PlannerStudyPolicy;
  /** kv_hit_rate_awareness; null for hindsight (it replays the trace, it does not estimate). */
  readonly awareness: boolean | null;
  readonly plannerFile: PlannerStudyFile;
}

export function plannerStudyFile(
  workload: PlannerWorkloadName,
  mode: PlannerStudyMode,
  policy: PlannerStudyPolicy,
  awareness: boolean | null,
): PlannerStudyFile {
  const sla = PLANNER_STUDY_SLA[workload];
  return {
    mode,
    ...PLANNER_BASE,
    scaling_policy: policy,
    load_predictor: sla.predictor,
    ttft: sla.ttftMs,
    itl: sla.itlMs,
    ...(awareness === null ? {} : { kv_hit_rate_awareness: awareness }),
  };
}

/** The 40 points: workload × mode × (dynamo on/off, kvsim on/off, hindsight), in the table's order. */
export function expandPlannerMatrix(): PlannerStudyPoint[] {
  const points: PlannerStudyPoint[] = [];
  const runs: [PlannerStudyPolicy, boolean | null][] = [
    ["dynamo", true],
    ["dynamo", false],
    ["kvsim", true],
    ["kvsim", false],
    ["hindsight", null],
  ];
  for (const workload of PLANNER_STUDY_WORKLOADS) {
    for (const mode of PLANNER_STUDY_MODES) {
      for (const [policy, awareness] of runs) {
        const suffix = awareness === null ? "" : awareness ? "/on" : "/off";
        points.push({
          index: points.length,
          id: `${workload}/${mode}/${policy}${suffix}`,
          workload,
          mode,
          policy,
          awareness,
          plannerFile: plannerStudyFile(workload, mode, policy, awareness),
        });
      }
    }
  }
  return points;
}

/** The shared-prefix ramp (over the `shared-prefix` preset), full and --quick. */
export const RAMP = {
  full: { rateProfile: "0:2,300:24,600:2", durationS: 600 },
  quick: { rateProfile: "0:2,30:24,60:2", durationS: 60 },
} as const;

/** The bursty multi-turn workload: sessions per second with two peaks; --quick squeezes it into 150 s. */
export const BURSTY = {
  full: { rateProfile: "0:1,120:1,360:8,600:1,720:1,960:8,1200:1", durationS: 1200 },
  quick: { rateProfile: "0:1,15:1,45:8,75:1", durationS: 90 },
} as const;

/** Every synthesis knob of the bursty workload but its rate profile and duration. */
export const BURSTY_SPEC: Pick<
  SynthSpec,
  "seed" | "arrival" | "burstinessCv" | "prefixGroups" | "prefixTokens" | "zipfExponent"
> & { readonly isl: string; readonly osl: string; readonly turns: string; readonly thinkTimeMs: string } = {
  seed: 7,
  arrival: "gamma",
  burstinessCv: 3,
  prefixGroups: 8,
  prefixTokens: 2048,
  zipfExponent: 1,
  isl: "lognormal:1024:512",
  osl: "lognormal:192:96",
  turns: "uniform:1:5",
  thinkTimeMs: "lognormal:8000:4000",
};

/** --quick: this many leading requests of each Mooncake trace. */
export const MOONCAKE_QUICK_REQUESTS = { conversation: 300, synthetic: 200 } as const;
