import { closeSync, readSync } from "node:fs";
import { InputError } from "../util/errors.js";
import type { TraceReadResult } from "./assemble.js";
import { loadKvtrace, looksLikeKvtrace } from "./kvtrace.js";
import { openTraceFile, readTraceJsonl, type TraceReadOptions } from "./read-jsonl.js";

/**
 * One entry point for either trace format: a compiled .kvtrace is recognised by its FlatBuffers identifier
 * (not by its file name), anything else is read as Mooncake JSONL.
 */

export type TraceFormat = "jsonl" | "kvtrace";

/** Sniffs the first bytes of a file. */
export function detectTraceFormat(path: string, displayName: string = path): TraceFormat {
  const { fd } = openTraceFile(path, displayName);
  try {
    const head = new Uint8Array(8);
    const got = readSync(fd, head, 0, 8, 0);
    return looksLikeKvtrace(head.subarray(0, got)) ? "kvtrace" : "jsonl";
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a compiled trace, checking it against the options that shape a trace: a .kvtrace keeps the block size
 * it was compiled with, and its rows are already valid and in arrival order (so --sort and --lenient have
 * nothing left to do).
 */
export function readKvtraceChecked(path: string, options: TraceReadOptions): TraceReadResult {
  const name = options.displayName ?? path;
  const columns = loadKvtrace(path, name);
  if (options.traceBlockSize !== undefined && options.traceBlockSize !== columns.traceBlockSize) {
    throw new InputError(
      `${name}: compiled with trace block size ${columns.traceBlockSize}, but --trace-block-size ${options.traceBlockSize} was given (recompile the trace)`,
    );
  }
  return { columns, skipped: null };
}

/** Reads a trace file of either format on the calling thread. */
export function readTrace(path: string, options: TraceReadOptions = {}): TraceReadResult {
  const format = detectTraceFormat(path, options.displayName ?? path);
  return format === "kvtrace" ? readKvtraceChecked(path, options) : readTraceJsonl(path, options);
}
