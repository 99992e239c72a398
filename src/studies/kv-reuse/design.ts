// The KV-reuse study's experiment design: two workloads × two topologies × two planner cadences × KV-hit-rate
// awareness on/off = 16 planner-in-the-loop replays that differ only in the factor each axis names.
//
// Why these settings (each is printed in the study's outputs):
// - Engines: the default mock vLLM engine with prefill 4× slower (speedup_ratio 0.25; decode_speedup_ratio 4
//   restores decode to the default speed, since the scheduler divides decode time by their product). One engine
//   then prefills ≈ 12 k uncached tokens/s, so the shared-prefix ramp needs several prefill replicas without the
//   cache and a few with it — the range where a reuse discount can change a decision. KV per worker stays at the
//   default 16384 blocks × 64 tokens = 1,048,576 tokens.
// - Router: KV-aware, with router_queue_threshold null. The default (4.0) holds arrivals in the router once
//   every worker has 4 × 8192 prefill tokens in flight; the load path reads queued prompt tokens from the
//   engines' forward-pass metrics, so a router-side backlog would hide the load the planner scales on.
// - Planner: SLA mode, load ticks every 5 s, throughput ticks every 30 s (mixed cadence), the Kalman predictor
//   (local linear trend: it follows a ramp), max_gpu_budget 64 (never reached, so it masks no difference) and
//   ITL 40 ms. The TTFT SLA is per workload: the p99 of the prompts' prefill time on an idle engine with no cache
//   hit (idle-prefill.ts), rounded up to a whole second — 1000 ms for the ≈ 5.1 k-token shared-prefix prompts
//   (p99 ≈ 0.56 s), 6000 ms for Mooncake's long ones (p99 ≈ 5.5 s). A tighter SLA would cap attainment below
//   100 % for reasons no replica count can fix, and blur the comparison.

import type { SynthSpec } from "../../trace/synth/synth-spec.js";

export const STUDY_WORKLOADS = ["shared-prefix", "mooncake"] as const;
export type StudyWorkloadName = (typeof STUDY_WORKLOADS)[number];
export const STUDY_MODES = ["agg", "disagg"] as const;
export type StudyMode = (typeof STUDY_MODES)[number];
/**
 * mixed = throughput + load scaling; load-only = load scaling alone (docs/planner.md#sticky-kv-hit-rate: raw
 * last-window hit rate).
 */
export const STUDY_CADENCES = ["mixed", "load-only"] as const;
export type StudyCadence = (typeof STUDY_CADENCES)[number];

/** Mock engine args of every pool (snake_case, as `--engine-args`). */
export const KV_REUSE_ENGINE_ARGS = { speedup_ratio: 0.25, decode_speedup_ratio: 4 } as const;
/** KV router settings (as `--router-config`). */
export const KV_REUSE_ROUTER_CONFIG = { router_queue_threshold: null } as const;

export const KV_REUSE_ITL_SLA_MS = 40;
export const KV_REUSE_TTFT_SLA_MS: Readonly<Record<StudyWorkloadName, number>> = {
  "shared-prefix": 1000,
  mooncake: 6000,
};

/** Planner keys every point shares (snake_case, as a `--planner-config` file). */
const PLANNER_BASE = {
  optimization_target: "sla",
  enable_load_scaling: true,
  load_adjustment_interval: 5,
  throughput_adjustment_interval: 30,
  load_predictor: "kalman",
  max_gpu_budget: 64,
  min_endpoint: 1,
  itl: KV_REUSE_ITL_SLA_MS,
} as const;

/** Planner config file keys of one point (everything else takes the documented defaults). */
export type StudyPlannerFile = Readonly<Record<string, string | number | boolean>>;

export interface StudyPoint {
  /** Position in the matrix (the table's row order). */
  readonly index: number;
  /** e.g. "shared-prefix/disagg/mixed/on". */
  readonly id: string;
  readonly workload: StudyWorkloadName;
  readonly mode: StudyMode;
  readonly cadence: StudyCadence;
  readonly awareness: boolean;
  readonly plannerFile: StudyPlannerFile;
}

/** The planner config file of one point: the shared keys, its SLA, its topology, cadence and awareness. */
export function studyPlannerFile(
  workload: StudyWorkloadName,
  mode: StudyMode,
  cadence: StudyCadence,
  awareness: boolean,
): StudyPlannerFile {
  return {
    mode,
    ...PLANNER_BASE,
    enable_throughput_scaling: cadence === "mixed",
    ttft: KV_REUSE_TTFT_SLA_MS[workload],
    kv_hit_rate_awareness: awareness,
  };
}

/** The 16 points: workload × mode × cadence × awareness (on before off), in the table's order. */
export function expandKvReuseMatrix(): StudyPoint[] {
  const points: StudyPoint[] = [];
  for (const workload of STUDY_WORKLOADS) {
    for (const mode of STUDY_MODES) {
      for (const cadence of STUDY_CADENCES) {
        for (const awareness of [true, false]) {
          points.push({
            index: points.length,
            id: `${workload}/${mode}/${cadence}/${awareness ? "on" : "off"}`,
            workload,
            mode,
            cadence,
            awareness,
            plannerFile: studyPlannerFile(workload, mode, cadence, awareness),
          });
        }
      }
    }
  }
  return points;
}

/** Piecewise-linear session rate (s : req/s) of the shared-prefix workload: up from 2 to 24 req/s, then down. */
export const SHARED_PREFIX_RATE_PROFILE = "0:2,300:24,600:2";
export const SHARED_PREFIX_DURATION_S = 600;
/** --quick: the same shape compressed into 60 s (two throughput ticks of traffic). */
export const SHARED_PREFIX_QUICK_RATE_PROFILE = "0:2,30:24,60:2";
export const SHARED_PREFIX_QUICK_DURATION_S = 60;
/** --quick: this many leading requests of the Mooncake synthetic trace (≈ 55 s of its traffic). */
export const MOONCAKE_QUICK_REQUESTS = 200;

/**
 * Synthesis overrides over the `shared-prefix` preset (16 groups × 4096-token prefix, Zipf 1, 1024 ± 512 new
 * prompt tokens, 256 ± 128 output tokens, Poisson arrivals, seed 42). The rate profile is parsed by the caller.
 */
export function sharedPrefixOverrides(quick: boolean): Pick<SynthSpec, "durationS" | "seed"> & {
  readonly rateProfileText: string;
} {
  return {
    seed: 42,
    durationS: quick ? SHARED_PREFIX_QUICK_DURATION_S : SHARED_PREFIX_DURATION_S,
    rateProfileText: quick ? SHARED_PREFIX_QUICK_RATE_PROFILE : SHARED_PREFIX_RATE_PROFILE,
  };
}
