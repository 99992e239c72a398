import type { SweepPoint } from "./expand.js";
import { describePoint } from "./expand.js";
import type { SweepRow } from "./row.js";

/** Why a point produced no row. */
export interface PointFailure {
  readonly point: SweepPoint;
  readonly errorName: string;
  readonly message: string;
  /** A user-fixable error found at run time (e.g. a missing perf table file). */
  readonly inputError: boolean;
  /** True when the point's thread died (rather than its task throwing). */
  readonly threadDied: boolean;
  readonly stack: string;
}

/** One or more points failed. `completedRows` are the rows of the points that finished (grid order). */
export class SweepFailedError extends Error {
  readonly failures: readonly PointFailure[];
  readonly completedRows: readonly SweepRow[];
  /** Points that never ran because the job stopped at the first failure. */
  readonly notRun: number;

  constructor(failures: readonly PointFailure[], completedRows: readonly SweepRow[], notRun: number) {
    const first = failures[0];
    const what =
      first === undefined
        ? "sweep failed"
        : `${describePoint(first.point)} failed: ${first.threadDied ? "its worker thread died: " : ""}${first.message}`;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed point(s))` : "";
    super(`${what}${more}`);
    this.name = "SweepFailedError";
    this.failures = failures;
    this.completedRows = completedRows;
    this.notRun = notRun;
  }

  /** Whether every failure is a user-fixable input error (exit code 2 rather than 1). */
  get isInputError(): boolean {
    return this.failures.length > 0 && this.failures.every((f) => f.inputError);
  }
}

/** The sweep was interrupted (AbortSignal, e.g. Ctrl-C). `completedRows` are the rows finished before. */
export class SweepAbortedError extends Error {
  readonly completedRows: readonly SweepRow[];

  constructor(completedRows: readonly SweepRow[]) {
    super(`sweep interrupted after ${completedRows.length} completed point(s)`);
    this.name = "SweepAbortedError";
    this.completedRows = completedRows;
  }
}
