import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { KvReuseStudyResult } from "../../studies/kv-reuse/outputs.js";
import type { StudyPointResult } from "../../studies/kv-reuse/point-run.js";
import { buildStudyWorkloads } from "../../studies/kv-reuse/workloads.js";
import type { KvTiersWorkloadName } from "../../studies/kv-tiers/design.js";
import { KV_TIERS_WORKLOADS } from "../../studies/kv-tiers/design.js";
import type { KvTiersStudyResult } from "../../studies/kv-tiers/outputs.js";
import type { KvTiersPointResult } from "../../studies/kv-tiers/point-run.js";
import { buildKvTiersWorkloads } from "../../studies/kv-tiers/workloads.js";
import { PLANNER_STUDY_WORKLOADS, type PlannerWorkloadName } from "../../studies/planners/design.js";
import type { PlannerStudyResult } from "../../studies/planners/outputs.js";
import type { PlannerPointResult } from "../../studies/planners/point-run.js";
import { buildPlannerWorkloads } from "../../studies/planners/workloads.js";
import { defaultMooncakeTracePath } from "../../studies/study-traces.js";
import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";
import { distModulePath } from "../../util/package-root.js";
import { toSharedTrace } from "../sweep/shared-trace.js";
import {
  type RunPointTask,
  type StudyReply,
  StudyReplyTag,
  StudyTaskTag,
  type StudyWorkerData,
} from "./protocol.js";
import {
  KV_REUSE_KIND,
  KV_TIERS_KIND,
  PLANNERS_KIND,
  type StudyKind,
  type StudyName,
} from "./study-kinds.js";

/**
 * Runs the points of a study. With one thread they run in turn on this thread; with more, on a warm piscina pool
 * (one task per point, at most `threads` in flight) whose threads share the traces. Results are stored by point
 * index, and every replay is deterministic, so every figure is the same for any thread count; only the wall
 * times differ.
 */

export interface StudyStartInfo {
  readonly points: number;
  readonly threads: number;
  /** Requests all points will simulate: the progress bar's total. */
  readonly totalRequests: number;
  /** One slot per point (completed requests), summed by the progress bar. */
  readonly counters: Int32Array;
}

export interface StudyRunOptions {
  /** The much smaller version (seconds of traffic instead of minutes), for tests and a quick look. */
  readonly quick: boolean;
  /** Worker threads; default min(cores, points). 1 = no pool. */
  readonly threads?: number;
  /** The Mooncake synthetic trace; default ../shared/traces next to the package. */
  readonly mooncakeTracePath?: string;
  /** Called once the traces are built and the pool is up, before the first point runs. */
  readonly onStart?: (info: StudyStartInfo) => void;
  /** Called on this thread as the counters move when points run here (threads = 1), to redraw progress. */
  readonly onProgress?: () => void;
}

export type KvReuseStudyOptions = StudyRunOptions;

interface Point {
  readonly index: number;
  readonly id: string;
}

interface PointRun<P, F> {
  readonly point: P;
  readonly figures: F;
  readonly wallTimeMs: number;
}

function failureError(point: Point, reply: Extract<StudyReply, { tag: 2 }>): Error {
  if (reply.inputError) return new InputError(reply.message);
  const error = new Error(`study point ${point.id} failed: ${reply.errorName}: ${reply.message}`);
  error.stack = `${error.message}\n${reply.stack}`;
  return error;
}

function runInProcess<P extends Point, F>(
  kind: StudyKind<P, F>,
  points: readonly P[],
  traces: readonly TraceColumns[],
  counters: Int32Array,
  onProgress: (() => void) | undefined,
): PointRun<P, F>[] {
  return points.map((point, slot) => {
    const trace = traces[kind.traceSlot(point)] as TraceColumns;
    const result = kind.run(trace, point, {
      progressEvery: 64,
      onProgress: (done) => {
        counters[slot] = Math.min(done, trace.count);
        onProgress?.();
      },
    });
    counters[slot] = trace.count;
    onProgress?.();
    return result;
  });
}

async function runOnPool<P extends Point, F>(
  study: StudyName,
  kind: StudyKind<P, F>,
  points: readonly P[],
  traces: readonly TraceColumns[],
  threads: number,
  counters: Int32Array,
  onStart: () => void,
): Promise<PointRun<P, F>[]> {
  const workerData: StudyWorkerData = { traces: traces.map(toSharedTrace), progress: counters };
  const pool = new Piscina<RunPointTask, StudyReply>({
    filename: distModulePath("parallel/study/worker.js"),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData,
  });
  try {
    onStart();
    // The longest points go first (piscina runs its queue in order), so none starts last on an idle pool.
    const slots = points.map((_, slot) => slot);
    const rank = (slot: number): number => kind.costRank?.(points[slot] as P) ?? 0;
    const order = slots.sort((a, b) => rank(b) - rank(a) || a - b);
    const results: PointRun<P, F>[] = new Array(points.length);
    // Piscina queues the tasks beyond `threads`; the first failure rejects the whole study.
    await Promise.all(
      order.map((slot) => {
        const point = points[slot] as P;
        const task: RunPointTask = {
          tag: StudyTaskTag.RunPoint,
          study,
          pointIndex: point.index,
          progressSlot: slot,
          traceSlot: kind.traceSlot(point),
        };
        return pool.run(task).then((reply) => {
          if (reply.tag === StudyReplyTag.PointFailed) throw failureError(point, reply);
          results[slot] = { point, figures: reply.figures as F, wallTimeMs: reply.wallTimeMs };
        });
      }),
    );
    return results;
  } finally {
    await pool.destroy();
  }
}

async function runStudy<P extends Point, F>(
  study: StudyName,
  kind: StudyKind<P, F>,
  traces: readonly TraceColumns[],
  options: StudyRunOptions,
  select: (point: P) => boolean = () => true,
): Promise<{ results: PointRun<P, F>[]; threads: number }> {
  const points = kind.points().filter(select);
  const threads = Math.max(
    1,
    Math.min(points.length, Math.floor(options.threads ?? Math.min(availableParallelism(), points.length))),
  );
  const counters = new Int32Array(new SharedArrayBuffer(4 * points.length));
  const totalRequests = points.reduce((sum, p) => sum + (traces[kind.traceSlot(p)] as TraceColumns).count, 0);
  const start = (): void => options.onStart?.({ points: points.length, threads, totalRequests, counters });
  if (threads === 1) {
    start();
    return { results: runInProcess(kind, points, traces, counters, options.onProgress), threads };
  }
  return { results: await runOnPool(study, kind, points, traces, threads, counters, start), threads };
}

/** The KV-reuse study (docs/studies.md#kv-reuse-study). */
export async function runKvReuseStudy(options: StudyRunOptions): Promise<KvReuseStudyResult> {
  const started = performance.now();
  const workloads = buildStudyWorkloads(options.quick, options.mooncakeTracePath);
  const traces = workloads.map((w) => w.trace);
  const { results, threads } = await runStudy("kv-reuse", KV_REUSE_KIND, traces, options);
  return {
    quick: options.quick,
    workloads,
    results: results as StudyPointResult[],
    threads,
    wallTimeMs: performance.now() - started,
  };
}

export interface PlannerStudyOptions extends StudyRunOptions {
  /** Run only these workloads (default all, in PLANNER_STUDY_WORKLOADS order). */
  readonly workloads?: readonly PlannerWorkloadName[];
}

/**
 * A study that can run a subset of its workloads: builds the selected ones (in the study's order), gives each
 * point the trace slot of its workload and runs the points of those workloads.
 */
async function runSelectedWorkloads<
  W extends string,
  L extends { readonly name: W; readonly trace: TraceColumns },
  P extends Point & { readonly workload: W },
  F,
>(
  study: StudyName,
  kind: StudyKind<P, F>,
  all: readonly W[],
  build: (quick: boolean, mooncakeSyntheticPath: string, only: ReadonlySet<W>) => L[],
  options: StudyRunOptions & { readonly workloads?: readonly W[] },
): Promise<{
  quick: boolean;
  workloads: L[];
  results: PointRun<P, F>[];
  threads: number;
  wallTimeMs: number;
}> {
  const started = performance.now();
  const selected = new Set(options.workloads ?? all);
  const workloads = build(options.quick, options.mooncakeTracePath ?? defaultMooncakeTracePath(), selected);
  const names = workloads.map((w) => w.name);
  // Trace slots follow the selected workloads (tasks carry their slot; the threads look nothing up by name).
  const slotted = { ...kind, traceSlot: (p: P) => names.indexOf(p.workload) };
  const { results, threads } = await runStudy(
    study,
    slotted,
    workloads.map((w) => w.trace),
    options,
    (p) => selected.has(p.workload),
  );
  return { quick: options.quick, workloads, results, threads, wallTimeMs: performance.now() - started };
}

/** The planner study (docs/studies.md#planner-study). */
export async function runPlannerStudy(options: PlannerStudyOptions): Promise<PlannerStudyResult> {
  const r = await runSelectedWorkloads(
    "planners",
    PLANNERS_KIND,
    PLANNER_STUDY_WORKLOADS,
    buildPlannerWorkloads,
    options,
  );
  return { ...r, results: r.results as PlannerPointResult[] };
}

export interface KvTiersStudyOptions extends StudyRunOptions {
  /** Run only these workloads (default all, in KV_TIERS_WORKLOADS order). */
  readonly workloads?: readonly KvTiersWorkloadName[];
}

/** The KV-tiers study (docs/studies.md#kv-tiers-study). */
export async function runKvTiersStudy(options: KvTiersStudyOptions): Promise<KvTiersStudyResult> {
  const r = await runSelectedWorkloads(
    "kv-tiers",
    KV_TIERS_KIND,
    KV_TIERS_WORKLOADS,
    buildKvTiersWorkloads,
    options,
  );
  return { ...r, results: r.results as KvTiersPointResult[] };
}
