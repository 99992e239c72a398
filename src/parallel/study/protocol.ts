import type { StudyPoint } from "../../studies/kv-reuse/design.js";
import type { StudyPointFigures } from "../../studies/kv-reuse/point-run.js";
import type { SharedTrace } from "../sweep/shared-trace.js";

/**
 * Messages of the study pool (run-study.ts ↔ worker.ts), tagged with small integers. One task = one whole point
 * (a full planner-in-the-loop replay, ≥ 100 ms), so the ~0.1–0.2 ms round trip is noise. The traces and the
 * progress counters are SharedArrayBuffers in the pool's workerData; a task carries only its point.
 */

export const StudyTaskTag = { RunPoint: 1 } as const;
export const StudyReplyTag = { PointDone: 1, PointFailed: 2 } as const;

export interface RunPointTask {
  readonly tag: typeof StudyTaskTag.RunPoint;
  readonly point: StudyPoint;
  /** Index into workerData.traces (the point's workload). */
  readonly traceSlot: number;
}

export interface PointDoneReply {
  readonly tag: typeof StudyReplyTag.PointDone;
  readonly pointIndex: number;
  readonly figures: StudyPointFigures;
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
