import { workerData } from "node:worker_threads";
import { runStudyCell } from "../../studies/kv-reuse/point-run.js";
import type { TraceColumns } from "../../trace/columns.js";
import { isInputError } from "../../util/errors.js";
import { sharedTraceColumns } from "../sweep/shared-trace.js";
import {
  type CellDoneReply,
  type CellFailedReply,
  type RunCellTask,
  StudyReplyTag,
  type StudyWorkerData,
} from "./protocol.js";

/**
 * Piscina worker entry of the study pool (runs compiled: dist/src/parallel/study/worker.js). Each task replays
 * one cell over a trace shared with every thread; progress goes through the shared counters, not messages.
 */

const data = workerData as StudyWorkerData;
/** Column views over each shared trace, made once per thread. */
const traces: (TraceColumns | null)[] = data.traces.map(() => null);

function traceAt(slot: number): TraceColumns {
  const shared = data.traces[slot];
  if (shared === undefined) throw new RangeError(`study worker: no trace in slot ${slot}`);
  let t = traces[slot] ?? null;
  if (t === null) {
    t = sharedTraceColumns(shared);
    traces[slot] = t;
  }
  return t;
}

/** Completed requests between two counter updates. */
const PROGRESS_EVERY = 64;

function runCell(task: RunCellTask): CellDoneReply {
  const trace = traceAt(task.traceSlot);
  const slot = task.cell.index;
  const progress = data.progress;
  const result = runStudyCell(trace, task.cell, {
    progressEvery: PROGRESS_EVERY,
    onProgress: (done) => {
      Atomics.store(progress, slot, done);
    },
  });
  Atomics.store(progress, slot, trace.count);
  return {
    tag: StudyReplyTag.CellDone,
    cellIndex: slot,
    figures: result.figures,
    wallTimeMs: result.wallTimeMs,
  };
}

export default function studyTask(task: RunCellTask): CellDoneReply | CellFailedReply {
  try {
    return runCell(task);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    return {
      tag: StudyReplyTag.CellFailed,
      cellIndex: task.cell.index,
      errorName: err.name,
      message: err.message,
      inputError: isInputError(err),
      stack: err.stack ?? "",
    };
  }
}
