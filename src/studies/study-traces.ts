// Trace helpers the studies share: where the Mooncake synthetic trace lives, a clear error when it is missing,
// and the leading rows of a trace (--quick).

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { cellTrace } from "../sim/workload/trace-subset.js";
import type { TraceColumns } from "../trace/columns.js";
import { readTrace } from "../trace/read-trace.js";
import { InputError } from "../util/errors.js";
import { packageRoot } from "../util/package-root.js";

export const MOONCAKE_SYNTHETIC_TRACE_FILE = "mooncake_synthetic_trace.jsonl";

/** Where the Mooncake synthetic trace lives by default: ../shared/traces relative to the package root. */
export function defaultMooncakeTracePath(): string {
  return resolve(packageRoot(), "..", "shared", "traces", MOONCAKE_SYNTHETIC_TRACE_FILE);
}

/** Fails early, before any work, when the Mooncake trace is not where it should be. */
export function requireMooncakeTrace(study: string, path: string): void {
  if (!existsSync(path)) {
    throw new InputError(
      `kvsim study ${study}: the Mooncake synthetic trace ${path} is missing ` +
        `(expected ${join("..", "shared", "traces", MOONCAKE_SYNTHETIC_TRACE_FILE)} next to the package; pass --mooncake-trace FILE)`,
    );
  }
}

/** The first `rows` requests of a trace (all of it when it is shorter). */
export function leadingRows(trace: TraceColumns, rows: number): TraceColumns {
  const n = Math.min(rows, trace.count);
  return cellTrace(
    trace,
    Uint32Array.from({ length: n }, (_, i) => i),
    null,
  );
}

/**
 * A Mooncake trace as a study workload: the whole file, or its first `quickRows` requests (--quick), with the
 * one-line source the study files print.
 */
export function mooncakeStudyTrace(
  path: string,
  label: string,
  quickRows: number | null,
): { readonly source: string; readonly trace: TraceColumns } {
  const whole = readTrace(path, { displayName: path }).columns;
  const trace = quickRows === null ? whole : leadingRows(whole, quickRows);
  return {
    source:
      quickRows === null
        ? `${label} (all ${trace.count} requests)`
        : `first ${trace.count} requests of ${label}`,
    trace,
  };
}
