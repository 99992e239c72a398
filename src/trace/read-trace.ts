import { readSync } from "node:fs";
import { InputError } from "../util/errors.js";
import type { TraceReadResult } from "./assemble.js";
import type { TraceColumns } from "./columns.js";
import { decodeKvtrace, loadKvtrace, looksLikeKvtrace } from "./kvtrace.js";
import {
  closeTraceFile,
  openTraceFile,
  readJsonlFrom,
  readTraceJsonl,
  resolveReadOptions,
  type TraceFile,
  type TraceReadOptions,
} from "./read-jsonl.js";
import { SequentialReader } from "./sequential-reader.js";

/**
 * One entry point for either trace format: a compiled .kvtrace is recognised by its FlatBuffers identifier
 * (not by its file name), anything else is read as Mooncake JSONL. A pipe, a FIFO or `-` is read once, front to
 * back: the identifier is sniffed off the stream and handed back to the reader that follows.
 */

export type TraceFormat = "jsonl" | "kvtrace";

/** Bytes that tell the formats apart (FlatBuffers root offset, then "KVTR"). */
const SNIFF_BYTES = 8;

/** Sniffs the first bytes of a file (not a stream: sniffing one would consume them; readTrace handles those). */
export function detectTraceFormat(path: string, displayName: string = path): TraceFormat {
  const file = openTraceFile(path, displayName);
  try {
    if (!file.seekable) {
      throw new InputError(
        `${displayName}: is a stream; its format can only be told while reading it (use readTrace)`,
      );
    }
    const head = new Uint8Array(SNIFF_BYTES);
    const got = readSync(file.fd, head, 0, SNIFF_BYTES, 0);
    return looksLikeKvtrace(head.subarray(0, got)) ? "kvtrace" : "jsonl";
  } finally {
    closeTraceFile(file);
  }
}

/** A .kvtrace keeps the block size it was compiled with: a different --trace-block-size is an error. */
function checkBlockSize(columns: TraceColumns, name: string, options: TraceReadOptions): TraceReadResult {
  if (options.traceBlockSize !== undefined && options.traceBlockSize !== columns.traceBlockSize) {
    throw new InputError(
      `${name}: compiled with trace block size ${columns.traceBlockSize}, but --trace-block-size ${options.traceBlockSize} was given (recompile the trace)`,
    );
  }
  return { columns, skipped: null };
}

/**
 * Reads a compiled trace, checking it against the options that shape a trace: a .kvtrace keeps the block size
 * it was compiled with, and its rows are already valid and in arrival order (so --sort and --lenient have
 * nothing left to do).
 */
export function readKvtraceChecked(path: string, options: TraceReadOptions): TraceReadResult {
  const name = options.displayName ?? path;
  return checkBlockSize(loadKvtrace(path, name), name, options);
}

/** Reads a non-seekable trace input of either format, once, front to back. */
export function readTraceStream(
  file: TraceFile,
  path: string,
  options: TraceReadOptions,
): TraceReadResult & { readonly format: TraceFormat } {
  const opts = resolveReadOptions(path, options);
  const head = new Uint8Array(SNIFF_BYTES);
  const got = new SequentialReader(file.fd).readFully(head, 0, SNIFF_BYTES);
  const reader = new SequentialReader(file.fd, head.subarray(0, got));
  if (looksLikeKvtrace(head.subarray(0, got))) {
    const columns = decodeKvtrace(reader.readToEnd(), opts.displayName);
    return { ...checkBlockSize(columns, opts.displayName, options), format: "kvtrace" };
  }
  return { ...readJsonlFrom({ kind: "stream", reader }, 0, opts, options), format: "jsonl" };
}

/** Reads a trace file (or `-`, a pipe, a FIFO) of either format on the calling thread. */
export function readTrace(path: string, options: TraceReadOptions = {}): TraceReadResult {
  const name = options.displayName ?? path;
  const file = openTraceFile(path, name);
  let format: TraceFormat;
  try {
    if (!file.seekable) {
      const { columns, skipped } = readTraceStream(file, path, options);
      return { columns, skipped };
    }
    const head = new Uint8Array(SNIFF_BYTES);
    const got = readSync(file.fd, head, 0, SNIFF_BYTES, 0);
    format = looksLikeKvtrace(head.subarray(0, got)) ? "kvtrace" : "jsonl";
  } finally {
    closeTraceFile(file);
  }
  return format === "kvtrace" ? readKvtraceChecked(path, options) : readTraceJsonl(path, options);
}
