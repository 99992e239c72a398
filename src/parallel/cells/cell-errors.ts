/**
 * A sharded replay failed: a cell's simulation threw, a cell thread died, or the coordinator itself failed (e.g.
 * the planner scaled a cell to no worker). The message is one line naming the cell(s), the shard key and the
 * error; `inputError` says whether the user can fix it (exit code 2 rather than 1).
 */
export class CellFaultError extends Error {
  /** The failing cell, or null when the fault is not one cell's (the coordinator's own error). */
  readonly cell: number | null;
  readonly inputError: boolean;
  /** The original error's stack, for debugging (not part of the one-line message). */
  readonly causeStack: string;

  constructor(message: string, cell: number | null, inputError: boolean, causeStack: string) {
    super(message);
    this.name = "CellFaultError";
    this.cell = cell;
    this.inputError = inputError;
    this.causeStack = causeStack;
  }

  get exitCode(): number {
    return this.inputError ? 2 : 1;
  }
}

/** The sharded replay was interrupted (its AbortSignal fired, e.g. on Ctrl-C); every thread was stopped. */
export class CellsAbortedError extends Error {
  constructor() {
    super("sharded replay interrupted");
    this.name = "CellsAbortedError";
  }
}
