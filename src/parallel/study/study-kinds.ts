// The studies the pool can run, each as a matrix of points, the trace slot of a point and the replay of one
// point. The main thread and every pool thread expand the same deterministic matrix, so a task names its point
// by index and the figures never depend on where a point ran.

import { expandKvReuseMatrix, STUDY_WORKLOADS } from "../../studies/kv-reuse/design.js";
import { runStudyPoint } from "../../studies/kv-reuse/point-run.js";
import { expandKvTiersMatrix, KV_TIERS_WORKLOADS } from "../../studies/kv-tiers/design.js";
import { runKvTiersPoint } from "../../studies/kv-tiers/point-run.js";
import { expandPlannerMatrix, PLANNER_STUDY_WORKLOADS } from "../../studies/planners/design.js";
import { runPlannerPoint } from "../../studies/planners/point-run.js";
import type { StudyPointHooks } from "../../studies/study-replay.js";
import type { TraceColumns } from "../../trace/columns.js";

export const STUDY_NAMES = ["kv-reuse", "planners", "kv-tiers"] as const;
export type StudyName = (typeof STUDY_NAMES)[number];

export interface StudyKind<P extends { readonly index: number; readonly id: string }, F> {
  readonly points: () => P[];
  readonly traceSlot: (point: P) => number;
  readonly run: (
    trace: TraceColumns,
    point: P,
    hooks: StudyPointHooks,
  ) => { readonly point: P; readonly figures: F; readonly wallTimeMs: number };
  /** Larger = longer to run (the pool starts those first); absent = all alike. */
  readonly costRank?: (point: P) => number;
}

export const KV_REUSE_KIND = {
  points: expandKvReuseMatrix,
  traceSlot: (p) => STUDY_WORKLOADS.indexOf(p.workload),
  run: runStudyPoint,
} satisfies StudyKind<ReturnType<typeof expandKvReuseMatrix>[number], unknown>;

export const PLANNERS_KIND = {
  points: expandPlannerMatrix,
  traceSlot: (p) => PLANNER_STUDY_WORKLOADS.indexOf(p.workload),
  run: runPlannerPoint,
  // A hindsight point searches (tens of replays); the planner points replay once.
  costRank: (p) => (p.policy === "hindsight" ? 1 : 0),
} satisfies StudyKind<ReturnType<typeof expandPlannerMatrix>[number], unknown>;

export const KV_TIERS_KIND = {
  points: expandKvTiersMatrix,
  traceSlot: (p) => KV_TIERS_WORKLOADS.indexOf(p.workload),
  run: runKvTiersPoint,
  // The conversation trace is the longest (12 k requests over an hour), then the planner points (they tick).
  costRank: (p) => (p.workload === "conversation" ? 2 : 0) + (p.deployment === "static-agg" ? 0 : 1),
} satisfies StudyKind<ReturnType<typeof expandKvTiersMatrix>[number], unknown>;

type AnyKind = StudyKind<{ index: number; id: string }, unknown>;
const KINDS: Readonly<Record<StudyName, AnyKind>> = {
  "kv-reuse": KV_REUSE_KIND as unknown as AnyKind,
  planners: PLANNERS_KIND as unknown as AnyKind,
  "kv-tiers": KV_TIERS_KIND as unknown as AnyKind,
};

/** Runs point `index` of study `name` (what a pool thread does with a task). */
export function runPointOf(
  name: StudyName,
  index: number,
  trace: TraceColumns,
  hooks: StudyPointHooks,
): { readonly figures: unknown; readonly wallTimeMs: number } {
  const kind = KINDS[name];
  const point = kind.points()[index];
  if (point === undefined) throw new RangeError(`study ${name}: no point ${index}`);
  const r = kind.run(trace, point, hooks);
  return { figures: r.figures, wallTimeMs: r.wallTimeMs };
}
