import type { StudyCell } from "../../studies/kv-reuse/design.js";
import type { StudyCellFigures } from "../../studies/kv-reuse/point-run.js";
import type { SharedTrace } from "../sweep/shared-trace.js";

/**
 * Messages of the study pool (run-study.ts ↔ worker.ts), tagged with small integers. One task = one whole cell
 * (a full planner-in-the-loop replay, ≥ 100 ms), so the ~0.1–0.2 ms round trip is noise. The traces and the
 * progress counters are SharedArrayBuffers in the pool's workerData; a task carries only its cell.
 */

export const StudyTaskTag = { RunCell: 1 } as const;
export const StudyReplyTag = { CellDone: 1, CellFailed: 2 } as const;

export interface RunCellTask {
  readonly tag: typeof StudyTaskTag.RunCell;
  readonly cell: StudyCell;
  /** Index into workerData.traces (the cell's workload). */
  readonly traceSlot: number;
}

export interface CellDoneReply {
  readonly tag: typeof StudyReplyTag.CellDone;
  readonly cellIndex: number;
  readonly figures: StudyCellFigures;
  readonly wallTimeMs: number;
}

export interface CellFailedReply {
  readonly tag: typeof StudyReplyTag.CellFailed;
  readonly cellIndex: number;
  readonly errorName: string;
  readonly message: string;
  /** A user-fixable error (InputError): reported as one line, exit code 2. */
  readonly inputError: boolean;
  readonly stack: string;
}

export type StudyReply = CellDoneReply | CellFailedReply;

export interface StudyWorkerData {
  readonly traces: readonly SharedTrace[];
  /** Completed requests per cell (slot = cell index), bumped with Atomics.store. */
  readonly progress: Int32Array;
}
