import { availableParallelism } from "node:os";
import {
  answerCapacityQuestion,
  type CapacityAnswer,
  type CapacityQuestion,
} from "../../report/capacity/question.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import { resolveClusterOptions } from "../../sim/cluster/resolve-options.js";
import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";
import { requireFields } from "../../util/options.js";
import { DEFAULT_MAX_SWEEP_POINTS } from "../run-limits.js";
import {
  countSweepPoints,
  effectivePlannerConfig,
  pointClusterInput,
  pointConfigJson,
  type SweepPoint,
  sweepPoints,
} from "./expand.js";
import type { SweepGrid } from "./grid.js";
import { gridLabel } from "./grid-source.js";
import { SweepPool } from "./pool.js";
import {
  type RunPointTask,
  type SweepReply,
  SweepReplyTag,
  SweepTaskTag,
  type TestFault,
} from "./protocol.js";
import { buildSweepRow, type SweepRow } from "./row.js";
import { inShard, type ShardSpec, WHOLE_GRID } from "./shard-spec.js";
import { toSharedTrace } from "./shared-trace.js";
import { type PointFailure, SweepAbortedError, SweepFailedError } from "./sweep-errors.js";
import { sweepGridHash } from "./sweep-traces.js";

/**
 * Runs a sweep (or one slice of it) on a warm piscina pool: every point is one task, at most `threads` in
 * flight; rows are stored by grid index, so the output order — and, since each replay is deterministic, every
 * byte of every row but wall_time_ms — is the same for any thread count.
 *
 * Faults: a point whose task throws, or whose thread dies, fails the sweep with a SweepFailedError naming the
 * point's config and the error; by default the pool is torn down at once (points not yet finished do not run),
 * with `keepGoing` every other point still runs. Either way the rows that finished travel in the error, for a
 * clearly-marked partial file. An aborted `signal` (Ctrl-C) destroys the pool and throws SweepAbortedError.
 */

export interface SweepStartInfo {
  readonly points: number;
  readonly threads: number;
  /** Requests all of this run's points will simulate: the progress bar's total. */
  readonly totalRequests: number;
  /** One slot per point, summed by the progress bar (createCounterProgress). */
  readonly counters: Int32Array;
}

export interface RunSweepOptions {
  readonly grid: SweepGrid;
  /** One per grid.traces, same order (readSweepTraces). */
  readonly traces: readonly TraceColumns[];
  readonly shard?: ShardSpec;
  /** Worker threads; default min(cores, points). */
  readonly threads?: number;
  /** The question rows are judged against; default the grid's. */
  readonly question?: CapacityQuestion | null;
  /** Run every point even after one fails (default: stop at the first failure). */
  readonly keepGoing?: boolean;
  readonly signal?: AbortSignal;
  /** Called once the pool is up, before the first point runs (the CLI starts its progress bar here). */
  readonly onStart?: (info: SweepStartInfo) => void;
  /** Most points this run may simulate (default DEFAULT_MAX_SWEEP_POINTS; `--max-points`). */
  readonly maxPoints?: number;
  /**
   * Called with the run's points, validated, and its thread count before any thread starts (the CLI checks the
   * memory estimate here); throwing stops the sweep with nothing started.
   */
  readonly beforeStart?: (plan: SweepPlan) => void;
  /** Test-only: inject a fault into one point (by grid index). */
  readonly testFault?: { readonly pointIndex: number } & TestFault;
}

export interface SweepPlan {
  readonly points: readonly SweepPoint[];
  /** The replay options of each point, resolved. */
  readonly options: readonly ClusterOptions[];
  readonly threads: number;
}

/** How many of `total` grid indexes slice `shard` holds (those ≡ index mod count). */
export function slicePointCount(total: number, shard: ShardSpec): number {
  return total <= shard.index ? 0 : Math.floor((total - shard.index - 1) / shard.count) + 1;
}

/**
 * Refuses a run of more than `maxPoints` points before anything is expanded: a typo in an axis (a seed list of a
 * million) would otherwise fill memory with points and rows and never finish.
 */
export function checkSweepPointCount(total: number, shard: ShardSpec, maxPoints: number): void {
  const inSlice = slicePointCount(total, shard);
  if (inSlice <= maxPoints) return;
  const slice = shard.count > 1 ? ` (${inSlice} in slice ${shard.index}/${shard.count})` : "";
  throw new InputError(
    `kvsim sweep: the grid expands to ${total} points${slice}, more than --max-points ${maxPoints}: check its ` +
      "axes (a long seeds or speedups list?), or raise --max-points (docs/limits.md)",
  );
}

export interface SweepResult {
  readonly grid: SweepGrid;
  readonly gridHash: string;
  readonly shard: ShardSpec;
  readonly totalPoints: number;
  /** This run's points (the slice), grid order. */
  readonly points: readonly SweepPoint[];
  /** One per point, grid order. */
  readonly rows: readonly SweepRow[];
  readonly question: CapacityQuestion | null;
  /** Null for a slice (answer after `kvsim merge`) or without a question. */
  readonly answer: CapacityAnswer<SweepRow> | null;
  readonly threads: number;
  readonly wallTimeMs: number;
}

/** Validates every point of the run against its trace on the main thread, before any thread starts. */
export function resolveSweepPoints(
  grid: SweepGrid,
  points: readonly SweepPoint[],
  traces: readonly TraceColumns[],
): ClusterOptions[] {
  if (traces.length !== grid.traces.length) {
    throw new RangeError(`runSweep: ${traces.length} traces for a grid with ${grid.traces.length}`);
  }
  return points.map((p) => {
    const trace = traces[p.traceSlot] as TraceColumns;
    const labelOf = (v: { path: readonly (string | number)[] } | null) =>
      v === null ? gridLabel(grid.source, p.engineArgs.path) : gridLabel(grid.source, v.path);
    return resolveClusterOptions(pointClusterInput(p), trace.traceBlockSize, {
      routerConfig: gridLabel(grid.source, p.routerConfig.path),
      engineArgs: labelOf(p.engineArgs),
      prefillEngineArgs: labelOf(p.prefillEngineArgs),
      decodeEngineArgs: labelOf(p.decodeEngineArgs),
    });
  });
}

function defaultThreads(points: number): number {
  return Math.max(1, Math.min(availableParallelism(), points));
}

export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  requireFields(options, ["grid", "traces"], "runSweep");
  const started = performance.now();
  const { grid, traces } = options;
  const shard = options.shard ?? WHOLE_GRID;
  const question = options.question === undefined ? grid.question : options.question;
  const totalPoints = countSweepPoints(grid);
  checkSweepPointCount(totalPoints, shard, options.maxPoints ?? DEFAULT_MAX_SWEEP_POINTS);
  const points: SweepPoint[] = [];
  for (const point of sweepPoints(grid)) if (inShard(point.index, shard)) points.push(point);
  const resolved = resolveSweepPoints(grid, points, traces);
  const gridHash = sweepGridHash(grid, traces);
  const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads(points.length)));
  options.beforeStart?.({
    points,
    options: resolved,
    threads: Math.min(threads, Math.max(1, points.length)),
  });
  if (options.signal?.aborted === true) throw new SweepAbortedError([]);

  const counters = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, points.length)));
  const totalRequests = points.reduce((sum, p) => sum + (traces[p.traceSlot] as TraceColumns).count, 0);
  const finish = (rows: readonly SweepRow[]): SweepResult => ({
    grid,
    gridHash,
    shard,
    totalPoints,
    points,
    rows,
    question,
    answer: question === null || shard.count !== 1 ? null : answerCapacityQuestion(rows, question),
    threads,
    wallTimeMs: performance.now() - started,
  });
  if (points.length === 0) {
    // A slice with no points (N > points): nothing to run, but still a finished slice for `kvsim merge`.
    options.onStart?.({ points: 0, threads, totalRequests, counters });
    return finish([]);
  }
  const pool = new SweepPool({ threads, traces: traces.map(toSharedTrace), progress: counters });
  options.onStart?.({ points: points.length, threads, totalRequests, counters });

  const rows: (SweepRow | undefined)[] = new Array(points.length);
  const failures: PointFailure[] = [];
  let next = 0;
  let running = 0;
  let stopped = false;
  let aborted = false;

  const taskFor = (slot: number): RunPointTask => {
    const p = points[slot] as SweepPoint;
    const fault = options.testFault;
    return {
      tag: SweepTaskTag.RunPoint,
      pointIndex: p.index,
      progressSlot: slot,
      traceSlot: p.traceSlot,
      options: resolved[slot] as ClusterOptions,
      plannerConfig: effectivePlannerConfig(p, grid),
      plannerWarmup: p.plannerConfig.value?.warmup ?? null,
      benchmarkGranularity: grid.benchmarkGranularity,
      traceName: p.traceLabel,
      fault: fault !== undefined && fault.pointIndex === p.index ? { kind: fault.kind } : null,
    };
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    // Tearing the pool down rejects the points still running; they are not failures of their own.
    void pool.destroy();
  };
  const onAbort = (): void => {
    aborted = true;
    stop();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });

  try {
    await new Promise<void>((resolveAll) => {
      const settle = (): void => {
        running--;
        if (!stopped && next < points.length) launch();
        else if (running === 0) resolveAll();
      };
      const record = (slot: number, reply: SweepReply): void => {
        const p = points[slot] as SweepPoint;
        if (reply.tag === SweepReplyTag.PointDone) {
          rows[slot] = buildSweepRow(p, reply, question, pointConfigJson(p, grid));
        } else if (reply.tag === SweepReplyTag.PointFailed) {
          failures.push({
            point: p,
            errorName: reply.errorName,
            message: reply.message,
            inputError: reply.inputError,
            threadDied: false,
            stack: reply.stack,
          });
          if (options.keepGoing !== true) stop();
        }
      };
      const died = (slot: number, error: unknown, threadDied: boolean): void => {
        if (threadDied && stopped && (aborted || failures.length > 0)) return; // torn down on purpose
        const err = error instanceof Error ? error : new Error(String(error));
        failures.push({
          point: points[slot] as SweepPoint,
          errorName: err.name,
          message: err.message,
          inputError: false,
          threadDied,
          stack: err.stack ?? "",
        });
        if (options.keepGoing !== true) stop();
      };
      const launch = (): void => {
        while (!stopped && running < threads && next < points.length) {
          const slot = next++;
          running++;
          pool
            .runPoint(taskFor(slot))
            .then(
              (reply) => record(slot, reply),
              (error: unknown) => died(slot, error, true),
            )
            // A throw while building the row on this thread still fails just this point.
            .catch((error: unknown) => died(slot, error, false))
            .finally(settle);
        }
      };
      launch();
    });
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await pool.destroy();
  }

  const done = rows.filter((r): r is SweepRow => r !== undefined);
  if (aborted) throw new SweepAbortedError(done);
  if (failures.length > 0) {
    failures.sort((a, b) => a.point.index - b.point.index);
    throw new SweepFailedError(failures, done, points.length - done.length - failures.length);
  }
  return finish(done);
}
