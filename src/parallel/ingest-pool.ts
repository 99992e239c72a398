import { closeSync } from "node:fs";
import { Piscina } from "piscina";
import { assembleTrace, type TraceReadResult } from "../trace/assemble.js";
import type { RangeResult } from "../trace/jsonl-range.js";
import { planLineRanges } from "../trace/range-plan.js";
import {
  closeTraceFile,
  openTraceFile,
  readJsonlFrom,
  readTraceJsonl,
  resolveReadOptions,
  sha256OfFile,
  type TraceReadOptions,
} from "../trace/read-jsonl.js";
import { SequentialReader } from "../trace/sequential-reader.js";
import { distModulePath } from "../util/package-root.js";
import type { IngestReply, IngestTask } from "./ingest-protocol.js";

/**
 * Parallel JSONL ingestion: split the file at line boundaries into one byte range per thread, parse the ranges
 * in piscina workers, and assemble them in file order with the same code the single-threaded reader uses —
 * so the columns, the error reported and the --lenient summary are identical for any thread count. While the
 * workers parse, this thread computes the file's sha256.
 */

export interface ParallelReadOptions extends TraceReadOptions {
  /** Worker threads; 1 parses on the calling thread without a pool. */
  readonly threads: number;
  /**
   * Progress for multi-threaded reads: shared counters (an Int32Array over a SharedArrayBuffer, one slot per
   * thread) where each worker stores the MiB it has read; with one thread `onProgress` is used instead.
   */
  readonly progressCounters?: Int32Array;
}

export async function readTraceJsonlParallel(
  path: string,
  options: ParallelReadOptions,
): Promise<TraceReadResult> {
  const threads = Math.max(1, Math.floor(options.threads));
  if (threads === 1) return readTraceJsonl(path, options);
  const opts = resolveReadOptions(path, options);
  const file = openTraceFile(path, opts.displayName);
  if (!file.seekable) {
    // A pipe cannot be split into byte ranges: one reader, front to back (opening it again would lose data).
    try {
      return readJsonlFrom({ kind: "stream", reader: new SequentialReader(file.fd) }, 0, opts, options);
    } finally {
      closeTraceFile(file);
    }
  }
  const { fd, size } = file;
  let ranges: { start: number; end: number }[];
  try {
    ranges = planLineRanges(fd, size, threads);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const pool = new Piscina<IngestTask, IngestReply>({
    filename: distModulePath("parallel/ingest-worker.js"),
    minThreads: threads,
    maxThreads: threads,
  });
  try {
    const counters = options.progressCounters ?? null;
    const pending = ranges.map((r, k) =>
      pool.run({
        path,
        start: r.start,
        end: r.end,
        traceBlockSize: opts.traceBlockSize,
        lenient: opts.lenient,
        progress: counters !== null && k < counters.length ? counters : null,
        progressSlot: k,
      }),
    );
    const all = Promise.all(pending);
    all.catch(() => undefined); // awaited below; this only keeps a hashing failure from leaving it unobserved
    let checksum: string;
    try {
      checksum = sha256OfFile(fd, size);
    } finally {
      closeSync(fd);
    }
    const results: RangeResult[] = await all;
    const failed = results.some((r) => r.error !== null);
    return assembleTrace(results, { ...opts, sourceChecksum: failed ? "" : checksum });
  } finally {
    await pool.destroy();
  }
}
