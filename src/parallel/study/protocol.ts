import type { SharedTrace } from "../sweep/shared-trace.js";
import type { StudyName } from "./study-kinds.js";

/**
 * Messages of the study pool (run-study.ts ↔ worker.ts), tagged with small integers. One task = one whole point
 * (a full planner-in-the-loop replay, ≥ 100 ms), so the ~0.1–0.2 ms round trip is noise. The traces and the
 * progress counters are SharedArrayBuffers in the pool's workerData; a task carries only its study and point index.
 */

export const StudyTaskTag = { RunPoint: 1 } as const;
export const StudyReplyTag = { PointDone: 1, PointFailed: 2 } as const;

export interface RunPointTask {
  readonly tag: typeof StudyTaskTag.RunPoint;
  readonly study: StudyName;
  /** The point's index in the study's matrix (both sides expand the same one). */
  readonly pointIndex: number;
  /** The point's slot in workerData.progress (its position among the points run). */
  readonly progressSlot: number;
  /** Index into workerData.traces (the point's workload). */
  readonly traceSlot: number;
}

export interface PointDoneReply {
  readonly tag: typeof StudyReplyTag.PointDone;
  readonly pointIndex: number;
  /** The study's figures of the point (structured-cloned plain data). */
  readonly figures: unknown;
  readonly wallTimeMs: number;
}

export interface PointFailedReply {
  readonly tag: typeof StudyReplyTag.PointFailed;
  readonly pointIndex: number;
  readonly errorName: string;
  readonly message: string;
  /** A user-fixable error (InputError): reported as one line, exit code 2. */
  readonly inputError: boolean;
  readonly stack: string;
}

export type StudyReply = PointDoneReply | PointFailedReply;

export interface StudyWorkerData {
  readonly traces: readonly SharedTrace[];
  /** Completed requests per point (slot = point index), bumped with Atomics.store. */
  readonly progress: Int32Array;
}
