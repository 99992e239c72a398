// The study's two traces, built once on the main thread: the seeded shared-prefix ramp (synthesised in memory)
// and the Mooncake FAST'25 synthetic trace (read from ../shared/traces next to the package, or a given path).

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { cellTrace } from "../../sim/workload/trace-subset.js";
import type { TraceColumns } from "../../trace/columns.js";
import { readTrace } from "../../trace/read-trace.js";
import { computeTraceStats, type TraceStats } from "../../trace/stats.js";
import { synthesizeTrace } from "../../trace/synth/generate.js";
import { parseRateProfile } from "../../trace/synth/rate-profile.js";
import { InputError } from "../../util/errors.js";
import { packageRoot } from "../../util/package-root.js";
import { idlePrefillMs, percentileOf } from "../idle-prefill.js";
import {
  KV_REUSE_ENGINE_ARGS,
  MOONCAKE_QUICK_REQUESTS,
  MOONCAKE_TRACE_FILE,
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

/** Where the Mooncake synthetic trace lives by default: ../shared/traces relative to the package root. */
export function defaultMooncakeTracePath(): string {
  return resolve(packageRoot(), "..", "shared", "traces", MOONCAKE_TRACE_FILE);
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

/** The first `rows` requests of a trace (all of it when it is shorter). */
function leadingRows(trace: TraceColumns, rows: number): TraceColumns {
  const n = Math.min(rows, trace.count);
  return cellTrace(
    trace,
    Uint32Array.from({ length: n }, (_, i) => i),
    null,
  );
}

/** Fails early, before any work, when the Mooncake trace is not where it should be. */
function checkMooncakeTrace(path: string): void {
  if (!existsSync(path)) {
    throw new InputError(
      `kvsim study kv-reuse: the Mooncake synthetic trace ${path} is missing ` +
        `(expected ${join("..", "shared", "traces", MOONCAKE_TRACE_FILE)} next to the package; pass --mooncake-trace FILE)`,
    );
  }
}

export function mooncakeWorkload(quick: boolean, path: string = defaultMooncakeTracePath()): StudyWorkload {
  checkMooncakeTrace(path);
  const whole = readTrace(path, { displayName: path }).columns;
  const trace = quick ? leadingRows(whole, MOONCAKE_QUICK_REQUESTS) : whole;
  return describe(
    "mooncake",
    quick
      ? `first ${trace.count} requests of Mooncake FAST'25 ${MOONCAKE_TRACE_FILE}`
      : `Mooncake FAST'25 ${MOONCAKE_TRACE_FILE} (all ${trace.count} requests)`,
    trace,
  );
}

/** Both workloads, in STUDY_WORKLOADS order. */
export function buildStudyWorkloads(
  quick: boolean,
  mooncakePath: string = defaultMooncakeTracePath(),
): StudyWorkload[] {
  checkMooncakeTrace(mooncakePath);
  return [sharedPrefixWorkload(quick), mooncakeWorkload(quick, mooncakePath)];
}
