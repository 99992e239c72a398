import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { expandKvReuseMatrix, STUDY_WORKLOADS, type StudyCell } from "../../studies/kv-reuse/design.js";
import type { KvReuseStudyResult } from "../../studies/kv-reuse/outputs.js";
import { runStudyCell, type StudyCellResult } from "../../studies/kv-reuse/point-run.js";
import { buildStudyWorkloads, type StudyWorkload } from "../../studies/kv-reuse/workloads.js";
import { InputError } from "../../util/errors.js";
import { distModulePath } from "../../util/package-root.js";
import { toSharedTrace } from "../sweep/shared-trace.js";
import {
  type RunCellTask,
  type StudyReply,
  StudyReplyTag,
  StudyTaskTag,
  type StudyWorkerData,
} from "./protocol.js";

/**
 * Runs the 16 cells of the KV-reuse study. With one thread they run in turn on this thread; with more, on a
 * warm piscina pool (one task per cell, at most `threads` in flight) whose threads share the two traces. Results
 * are stored by cell index, and every replay is deterministic, so every figure is the same for any thread count;
 * only the wall times differ.
 */

export interface StudyStartInfo {
  readonly cells: number;
  readonly threads: number;
  /** Requests all cells will simulate: the progress bar's total. */
  readonly totalRequests: number;
  /** One slot per cell (completed requests), summed by the progress bar. */
  readonly counters: Int32Array;
}

export interface KvReuseStudyOptions {
  /** The much smaller version (seconds of traffic instead of minutes), for tests and a quick look. */
  readonly quick: boolean;
  /** Worker threads; default min(cores, cells). 1 = no pool. */
  readonly threads?: number;
  /** The Mooncake synthetic trace; default ../shared/traces next to the package. */
  readonly mooncakeTracePath?: string;
  /** Called once the traces are built and the pool is up, before the first cell runs. */
  readonly onStart?: (info: StudyStartInfo) => void;
  /** Called on this thread as the counters move when cells run here (threads = 1), to redraw progress. */
  readonly onProgress?: () => void;
}

function traceSlotOf(cell: StudyCell): number {
  return STUDY_WORKLOADS.indexOf(cell.workload);
}

function failureError(cell: StudyCell, reply: Extract<StudyReply, { tag: 2 }>): Error {
  if (reply.inputError) return new InputError(reply.message);
  const error = new Error(`study cell ${cell.id} failed: ${reply.errorName}: ${reply.message}`);
  error.stack = `${error.message}\n${reply.stack}`;
  return error;
}

function runInProcess(
  cells: readonly StudyCell[],
  workloads: readonly StudyWorkload[],
  counters: Int32Array,
  onProgress: (() => void) | undefined,
): StudyCellResult[] {
  return cells.map((cell) => {
    const trace = (workloads[traceSlotOf(cell)] as StudyWorkload).trace;
    const result = runStudyCell(trace, cell, {
      progressEvery: 64,
      onProgress: (done) => {
        counters[cell.index] = done;
        onProgress?.();
      },
    });
    counters[cell.index] = trace.count;
    onProgress?.();
    return result;
  });
}

async function runOnPool(
  cells: readonly StudyCell[],
  workloads: readonly StudyWorkload[],
  threads: number,
  counters: Int32Array,
  onStart: () => void,
): Promise<StudyCellResult[]> {
  const workerData: StudyWorkerData = {
    traces: workloads.map((w) => toSharedTrace(w.trace)),
    progress: counters,
  };
  const pool = new Piscina<RunCellTask, StudyReply>({
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
      cells.map((cell) =>
        pool.run({ tag: StudyTaskTag.RunCell, cell, traceSlot: traceSlotOf(cell) }).then((reply) => {
          if (reply.tag === StudyReplyTag.CellFailed) throw failureError(cell, reply);
          return reply;
        }),
      ),
    );
    return replies.map((reply, i) => ({
      cell: cells[i] as StudyCell,
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
  const cells = expandKvReuseMatrix();
  const threads = Math.max(
    1,
    Math.min(cells.length, Math.floor(options.threads ?? Math.min(availableParallelism(), cells.length))),
  );
  const counters = new Int32Array(new SharedArrayBuffer(4 * cells.length));
  const totalRequests = cells.reduce(
    (sum, c) => sum + (workloads[traceSlotOf(c)] as StudyWorkload).trace.count,
    0,
  );
  const start = (): void => options.onStart?.({ cells: cells.length, threads, totalRequests, counters });
  let results: StudyCellResult[];
  if (threads === 1) {
    start();
    results = runInProcess(cells, workloads, counters, options.onProgress);
  } else {
    results = await runOnPool(cells, workloads, threads, counters, start);
  }
  return { quick: options.quick, workloads, results, threads, wallTimeMs: performance.now() - started };
}
