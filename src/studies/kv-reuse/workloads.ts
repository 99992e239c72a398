// The study's two traces, built once on the main thread: the seeded shared-prefix ramp (synthesised in memory)
// and the Mooncake FAST'25 synthetic trace (read from ../shared/traces next to the package, or a given path).

import type { TraceColumns } from "../../trace/columns.js";
import { readTrace } from "../../trace/read-trace.js";
import { computeTraceStats, type TraceStats } from "../../trace/stats.js";
import { synthesizeTrace } from "../../trace/synth/generate.js";
import { parseRateProfile } from "../../trace/synth/rate-profile.js";
import { idlePrefillMs, percentileOf } from "../idle-prefill.js";
import {
  defaultMooncakeTracePath,
  leadingRows,
  MOONCAKE_SYNTHETIC_TRACE_FILE,
  requireMooncakeTrace,
} from "../study-traces.js";
import {
  KV_REUSE_ENGINE_ARGS,
  MOONCAKE_QUICK_REQUESTS,
  type StudyWorkloadName,
  sharedPrefixOverrides,
} from "./design.js";

export interface StudyWorkload {
  readonly name: StudyWorkloadName;
  /** One line: how the trace was made. */
  readonly source: string;
  readonly trace: TraceColumns;
  /** Shape and infinite-cache prefix reuse (computeTraceStats, as `kvsim trace stats`). */
  readonly stats: TraceStats;
  /** p99 over prompts of the prefill time on an idle study engine with an empty cache, ms (idle-prefill.ts). */
  readonly p99IdlePrefillMs: number;
}

function describe(name: StudyWorkloadName, source: string, trace: TraceColumns): StudyWorkload {
  return {
    name,
    source,
    trace,
    stats: computeTraceStats(trace),
    p99IdlePrefillMs: percentileOf(idlePrefillMs(trace, KV_REUSE_ENGINE_ARGS), 99),
  };
}

export function sharedPrefixWorkload(quick: boolean): StudyWorkload {
  const o = sharedPrefixOverrides(quick);
  const trace = synthesizeTrace(
    {
      seed: o.seed,
      durationS: o.durationS,
      rateProfile: parseRateProfile("study shared-prefix rate profile", o.rateProfileText),
    },
    "shared-prefix",
  );
  return describe(
    "shared-prefix",
    `kvsim trace synth --preset shared-prefix --rate-profile "${o.rateProfileText}" ` +
      `--duration ${o.durationS} --seed ${o.seed}`,
    trace,
  );
}

export function mooncakeWorkload(quick: boolean, path: string = defaultMooncakeTracePath()): StudyWorkload {
  requireMooncakeTrace("kv-reuse", path);
  const whole = readTrace(path, { displayName: path }).columns;
  const trace = quick ? leadingRows(whole, MOONCAKE_QUICK_REQUESTS) : whole;
  return describe(
    "mooncake",
    quick
      ? `first ${trace.count} requests of Mooncake FAST'25 ${MOONCAKE_SYNTHETIC_TRACE_FILE}`
      : `Mooncake FAST'25 ${MOONCAKE_SYNTHETIC_TRACE_FILE} (all ${trace.count} requests)`,
    trace,
  );
}

/** Both workloads, in STUDY_WORKLOADS order. */
export function buildStudyWorkloads(
  quick: boolean,
  mooncakePath: string = defaultMooncakeTracePath(),
): StudyWorkload[] {
  requireMooncakeTrace("kv-reuse", mooncakePath);
  return [sharedPrefixWorkload(quick), mooncakeWorkload(quick, mooncakePath)];
}
