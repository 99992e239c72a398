import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { expandKvReuseMatrix, STUDY_WORKLOADS, type StudyPoint } from "../../studies/kv-reuse/design.js";
import type { KvReuseStudyResult } from "../../studies/kv-reuse/outputs.js";
import { runStudyPoint, type StudyPointResult } from "../../studies/kv-reuse/point-run.js";
import { buildStudyWorkloads, type StudyWorkload } from "../../studies/kv-reuse/workloads.js";
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

/**
 * Runs the 16 points of the KV-reuse study. With one thread they run in turn on this thread; with more, on a
 * warm piscina pool (one task per point, at most `threads` in flight) whose threads share the two traces. Results
 * are stored by point index, and every replay is deterministic, so every figure is the same for any thread count;
 * only the wall times differ.
 */

export interface StudyStartInfo {
  readonly points: number;
  readonly threads: number;
  /** Requests all points will simulate: the progress bar's total. */
  readonly totalRequests: number;
  /** One slot per point (completed requests), summed by the progress bar. */
  readonly counters: Int32Array;
}

export interface KvReuseStudyOptions {
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

function traceSlotOf(point: StudyPoint): number {
  return STUDY_WORKLOADS.indexOf(point.workload);
}

function failureError(point: StudyPoint, reply: Extract<StudyReply, { tag: 2 }>): Error {
  if (reply.inputError) return new InputError(reply.message);
  const error = new Error(`study point ${point.id} failed: ${reply.errorName}: ${reply.message}`);
  error.stack = `${error.message}\n${reply.stack}`;
  return error;
}

function runInProcess(
  points: readonly StudyPoint[],
  workloads: readonly StudyWorkload[],
  counters: Int32Array,
  onProgress: (() => void) | undefined,
): StudyPointResult[] {
  return points.map((point) => {
    const trace = (workloads[traceSlotOf(point)] as StudyWorkload).trace;
    const result = runStudyPoint(trace, point, {
      progressEvery: 64,
      onProgress: (done) => {
        counters[point.index] = done;
        onProgress?.();
      },
    });
    counters[point.index] = trace.count;
    onProgress?.();
    return result;
  });
}

async function runOnPool(
  points: readonly StudyPoint[],
  workloads: readonly StudyWorkload[],
  threads: number,
  counters: Int32Array,
  onStart: () => void,
): Promise<StudyPointResult[]> {
  const workerData: StudyWorkerData = {
    traces: workloads.map((w) => toSharedTrace(w.trace)),
    progress: counters,
  };
  const pool = new Piscina<RunPointTask, StudyReply>({
    filename: distModulePath("parallel/study/worker.js"),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData,
  });
  try {
    onStart();
    // Piscina queues the tasks beyond `threads`; the first failure rejects the whole study.
    const replies = await Promise.all(
      points.map((point) =>
        pool.run({ tag: StudyTaskTag.RunPoint, point, traceSlot: traceSlotOf(point) }).then((reply) => {
          if (reply.tag === StudyReplyTag.PointFailed) throw failureError(point, reply);
          return reply;
        }),
      ),
    );
    return replies.map((reply, i) => ({
      point: points[i] as StudyPoint,
      figures: reply.figures,
      wallTimeMs: reply.wallTimeMs,
    }));
  } finally {
    await pool.destroy();
  }
}

export async function runKvReuseStudy(options: KvReuseStudyOptions): Promise<KvReuseStudyResult> {
  const started = performance.now();
  const workloads = buildStudyWorkloads(options.quick, options.mooncakeTracePath);
  const points = expandKvReuseMatrix();
  const threads = Math.max(
    1,
    Math.min(points.length, Math.floor(options.threads ?? Math.min(availableParallelism(), points.length))),
  );
  const counters = new Int32Array(new SharedArrayBuffer(4 * points.length));
  const totalRequests = points.reduce(
    (sum, c) => sum + (workloads[traceSlotOf(c)] as StudyWorkload).trace.count,
    0,
  );
  const start = (): void => options.onStart?.({ points: points.length, threads, totalRequests, counters });
  let results: StudyPointResult[];
  if (threads === 1) {
    start();
    results = runInProcess(points, workloads, counters, options.onProgress);
  } else {
    results = await runOnPool(points, workloads, threads, counters, start);
  }
  return { quick: options.quick, workloads, results, threads, wallTimeMs: performance.now() - started };
}
