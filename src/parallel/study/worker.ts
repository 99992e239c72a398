import { workerData } from "node:worker_threads";
import type { TraceColumns } from "../../trace/columns.js";
import { isInputError } from "../../util/errors.js";
import { sharedTraceColumns } from "../sweep/shared-trace.js";
import {
  type PointDoneReply,
  type PointFailedReply,
  type RunPointTask,
  StudyReplyTag,
  type StudyWorkerData,
} from "./protocol.js";
import { runPointOf } from "./study-kinds.js";

/**
 * Piscina worker entry of the study pool (runs compiled: dist/src/parallel/study/worker.js). Each task replays
 * one point over a trace shared with every thread; progress goes through the shared counters, not messages.
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

function runPoint(task: RunPointTask): PointDoneReply {
  const trace = traceAt(task.traceSlot);
  const slot = task.progressSlot;
  const progress = data.progress;
  const result = runPointOf(task.study, task.pointIndex, trace, {
    progressEvery: PROGRESS_EVERY,
    onProgress: (done) => {
      Atomics.store(progress, slot, Math.min(done, trace.count));
    },
  });
  Atomics.store(progress, slot, trace.count);
  return {
    tag: StudyReplyTag.PointDone,
    pointIndex: task.pointIndex,
    figures: result.figures,
    wallTimeMs: result.wallTimeMs,
  };
}

export default function studyTask(task: RunPointTask): PointDoneReply | PointFailedReply {
  try {
    return runPoint(task);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    return {
      tag: StudyReplyTag.PointFailed,
      pointIndex: task.pointIndex,
      errorName: err.name,
      message: err.message,
      inputError: isInputError(err),
      stack: err.stack ?? "",
    };
  }
}
