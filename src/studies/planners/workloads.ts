// The planner study's four traces, built once on the main thread: the embedded Mooncake conversation trace, the
// Mooncake FAST'25 synthetic trace (../shared/traces next to the package, or a given path), the seeded
// shared-prefix ramp and the seeded bursty multi-turn workload (both synthesised in memory).

import {
  COUNT_DOMAIN,
  parseDistribution,
  TIME_DOMAIN,
  TURN_DOMAIN,
} from "../../trace/synth/distributions.js";
import { synthesizeTrace } from "../../trace/synth/generate.js";
import { parseRateProfile } from "../../trace/synth/rate-profile.js";
import { defaultTracePath } from "../../util/package-root.js";
import { requireMooncakeTrace } from "../study-traces.js";
import { mooncakeStudyWorkload, type NamedStudyWorkload, namedStudyWorkload } from "../study-workload.js";
import {
  BURSTY,
  BURSTY_SPEC,
  MOONCAKE_QUICK_REQUESTS,
  PLANNER_STUDY_WORKLOADS,
  type PlannerWorkloadName,
  RAMP,
} from "./design.js";

export type PlannerWorkload = NamedStudyWorkload<PlannerWorkloadName>;

function mooncake(
  name: "conversation" | "synthetic",
  path: string,
  label: string,
  quick: boolean,
): PlannerWorkload {
  return mooncakeStudyWorkload<PlannerWorkloadName>(
    name,
    path,
    label,
    quick ? MOONCAKE_QUICK_REQUESTS[name] : null,
  );
}

function ramp(quick: boolean): PlannerWorkload {
  const r = quick ? RAMP.quick : RAMP.full;
  const trace = synthesizeTrace(
    {
      seed: 42,
      durationS: r.durationS,
      rateProfile: parseRateProfile("study shared-prefix rate profile", r.rateProfile),
    },
    "shared-prefix",
  );
  return namedStudyWorkload<PlannerWorkloadName>(
    "shared-prefix",
    `kvsim trace synth --preset shared-prefix --rate-profile "${r.rateProfile}" --duration ${r.durationS} --seed 42`,
    trace,
  );
}

function bursty(quick: boolean): PlannerWorkload {
  const r = quick ? BURSTY.quick : BURSTY.full;
  const s = BURSTY_SPEC;
  const trace = synthesizeTrace({
    seed: s.seed,
    durationS: r.durationS,
    rateProfile: parseRateProfile("study bursty rate profile", r.rateProfile),
    arrival: s.arrival,
    burstinessCv: s.burstinessCv,
    prefixGroups: s.prefixGroups,
    prefixTokens: s.prefixTokens,
    zipfExponent: s.zipfExponent,
    isl: parseDistribution("study bursty isl", s.isl, COUNT_DOMAIN),
    osl: parseDistribution("study bursty osl", s.osl, COUNT_DOMAIN),
    turns: parseDistribution("study bursty turns", s.turns, TURN_DOMAIN),
    thinkTimeMs: parseDistribution("study bursty think time", s.thinkTimeMs, TIME_DOMAIN),
  });
  return namedStudyWorkload<PlannerWorkloadName>(
    "bursty",
    `kvsim trace synth --rate-profile "${r.rateProfile}" --duration ${r.durationS} --arrival ${s.arrival} ` +
      `--cv ${s.burstinessCv} --turns ${s.turns} --think-time-ms ${s.thinkTimeMs} --isl ${s.isl} --osl ${s.osl} ` +
      `--prefix-groups ${s.prefixGroups} --prefix-tokens ${s.prefixTokens} --zipf ${s.zipfExponent} --seed ${s.seed}`,
    trace,
  );
}

/**
 * The selected workloads (default all four), in PLANNER_STUDY_WORKLOADS order; fails before any work when the
 * Mooncake synthetic trace is needed and missing.
 */
export function buildPlannerWorkloads(
  quick: boolean,
  mooncakeSyntheticPath: string,
  only: ReadonlySet<PlannerWorkloadName> = new Set(PLANNER_STUDY_WORKLOADS),
): PlannerWorkload[] {
  if (only.has("synthetic")) requireMooncakeTrace("planners", mooncakeSyntheticPath);
  const build: Record<PlannerWorkloadName, () => PlannerWorkload> = {
    conversation: () =>
      mooncake("conversation", defaultTracePath(), "Mooncake conversation trace (embedded)", quick),
    synthetic: () => mooncake("synthetic", mooncakeSyntheticPath, "Mooncake FAST'25 synthetic trace", quick),
    "shared-prefix": () => ramp(quick),
    bursty: () => bursty(quick),
  };
  return PLANNER_STUDY_WORKLOADS.filter((name) => only.has(name)).map((name) => build[name]());
}
