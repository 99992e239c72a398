import { availableParallelism } from "node:os";
import { readTraceJsonlParallel } from "../parallel/ingest-pool.js";
import { MAX_THREADS } from "../parallel/run-limits.js";
import type { TraceColumns } from "../trace/columns.js";
import { MAX_TRACE_BLOCK_SIZE } from "../trace/columns.js";
import { closeTraceFile, openTraceFile, STDIN_PATH } from "../trace/read-jsonl.js";
import {
  detectTraceFormat,
  readKvtraceChecked,
  readTraceStream,
  type TraceFormat,
} from "../trace/read-trace.js";
import { formatSkipSummary, type SkipSummary } from "../trace/trace-rules.js";
import { InputError } from "../util/errors.js";
import { defaultTracePath } from "../util/package-root.js";
import { type NumberRule, type OptionSpec, type ParsedArgs, parseNumberText, stringOption } from "./args.js";
import type { CliIo } from "./io.js";
import { createCounterProgress, createProgress } from "./progress.js";

/**
 * How every trace-reading command gets its trace: a FILE argument (Mooncake JSONL or compiled .kvtrace, told
 * apart by content) or, without one, the embedded default trace; plus the options that shape the reading.
 * Spread TRACE_INPUT_OPTIONS into a command's option spec and paste TRACE_INPUT_HELP into its help.
 */

export const TRACE_INPUT_OPTIONS: OptionSpec = {
  "trace-block-size": { type: "string" },
  sort: { type: "boolean" },
  lenient: { type: "boolean" },
  threads: { type: "string" },
};

export const TRACE_INPUT_HELP = `Trace input (FILE: Mooncake JSONL or a compiled .kvtrace, - = stdin; none = the embedded default trace):
  --trace-block-size N    tokens per hash id (default 512; a .kvtrace keeps the size it was compiled with)
  --sort                  sort rows stably by timestamp instead of rejecting timestamps that go backwards
  --lenient               skip bad lines (a summary of what was skipped goes to stderr) instead of failing
  --threads N|auto        parse JSONL with N worker threads (default auto: 1 below 64 MiB, else cores − 1;
                          a pipe, a FIFO or - is read by one thread)
`;

/** Files smaller than this parse faster on one thread than a pool can even start (~0.1–0.2 s). */
const AUTO_THREADS_MIN_BYTES = 64 << 20;
const AUTO_THREADS_MAX = 8;
/** Below this size reading is too quick for a progress bar to help. */
const PROGRESS_MIN_BYTES = 64 << 20;

export interface LoadedTrace {
  readonly columns: TraceColumns;
  readonly path: string;
  /** How messages name the file. */
  readonly displayName: string;
  readonly format: TraceFormat;
  readonly skipped: SkipSummary | null;
}

export interface TraceInputSettings {
  /** null = the embedded default trace. */
  readonly path: string | null;
  readonly traceBlockSize?: number;
  readonly sort: boolean;
  readonly lenient: boolean;
  /** A thread count, or "auto". */
  readonly threads: number | "auto";
}

/** Reads the trace options out of parsed arguments (FILE = the first positional, if any). */
export function traceInputSettings(args: ParsedArgs): TraceInputSettings {
  const blockText = stringOption(args, "trace-block-size");
  const threadsText = stringOption(args, "threads");
  const intRule: NumberRule = { integer: true, min: 1 };
  const threads =
    threadsText === undefined || threadsText === "auto"
      ? "auto"
      : parseNumberText("--threads", threadsText, { ...intRule, max: MAX_THREADS });
  return {
    path: args.positionals[0] ?? null,
    ...(blockText === undefined
      ? {}
      : {
          traceBlockSize: parseNumberText("--trace-block-size", blockText, {
            ...intRule,
            max: MAX_TRACE_BLOCK_SIZE,
          }),
        }),
    sort: args.values.sort === true,
    lenient: args.values.lenient === true,
    threads,
  };
}

/**
 * `auto`: one thread for small files; otherwise a worker per core but one, since this thread hashes the file
 * (sha256) and assembles the columns meanwhile. On two cores that leaves one worker, i.e. no pool at all.
 */
/**
 * An explicit --threads reads with at most one thread per 64 KiB of file: the same result for any count, but
 * `--threads 256` (meant for the cells or the sweep) no longer starts 256 parser threads on a 72 kB trace (27 s).
 */
const MIN_BYTES_PER_READER = 64 << 10;

export function resolveThreads(threads: number | "auto", sizeBytes: number): number {
  if (threads !== "auto") return Math.max(1, Math.min(threads, Math.ceil(sizeBytes / MIN_BYTES_PER_READER)));
  if (sizeBytes < AUTO_THREADS_MIN_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism() - 1, AUTO_THREADS_MAX));
}

/** Loads the trace a command was given; prints the --lenient summary (one line) to stderr. */
export async function loadTrace(
  settings: TraceInputSettings,
  io: CliIo,
  quiet = false,
): Promise<LoadedTrace> {
  const path = settings.path ?? defaultTracePath();
  const displayName = path === STDIN_PATH ? "<stdin>" : path;
  const shared = {
    displayName,
    sort: settings.sort,
    lenient: settings.lenient,
    ...(settings.traceBlockSize === undefined ? {} : { traceBlockSize: settings.traceBlockSize }),
  };
  const file = openTraceFile(path, displayName);
  if (!file.seekable) {
    // `-`, a pipe, a FIFO: read once, front to back, by one reader (--threads cannot split a stream).
    let result: ReturnType<typeof readTraceStream>;
    try {
      result = readTraceStream(file, path, shared);
    } finally {
      closeTraceFile(file);
    }
    printSkipSummary(io, displayName, result.skipped);
    return { columns: result.columns, path, displayName, format: result.format, skipped: result.skipped };
  }
  const sizeBytes = file.size;
  closeTraceFile(file);
  const format = detectTraceFormat(path, displayName);
  if (format === "kvtrace") {
    const { columns } = readKvtraceChecked(path, shared);
    return { columns, path, displayName, format, skipped: null };
  }
  const threads = resolveThreads(settings.threads, sizeBytes);
  const showProgress = sizeBytes >= PROGRESS_MIN_BYTES;
  const totalMiB = Math.ceil(sizeBytes / 2 ** 20);
  let result: Awaited<ReturnType<typeof readTraceJsonlParallel>>;
  if (threads === 1) {
    const bar = createProgress({
      label: "reading trace",
      total: showProgress ? totalMiB : 0,
      unit: "MiB",
      io,
      quiet: quiet || !showProgress,
    });
    try {
      result = await readTraceJsonlParallel(path, {
        ...shared,
        threads,
        onProgress: (done) => bar.update(Math.floor(done / 2 ** 20)),
      });
    } finally {
      bar.finish();
    }
  } else {
    const counters = new Int32Array(new SharedArrayBuffer(4 * threads));
    const bar = createCounterProgress({
      label: "reading trace",
      total: totalMiB,
      unit: "MiB",
      io,
      quiet: quiet || !showProgress,
      counters,
    });
    try {
      result = await readTraceJsonlParallel(path, { ...shared, threads, progressCounters: counters });
    } finally {
      bar.finish();
    }
  }
  printSkipSummary(io, displayName, result.skipped);
  return { columns: result.columns, path, displayName, format, skipped: result.skipped };
}

function printSkipSummary(io: CliIo, displayName: string, skipped: SkipSummary | null): void {
  if (skipped !== null) io.stderr.write(`kvsim: ${displayName}: --lenient ${formatSkipSummary(skipped)}\n`);
}

/** The FILE argument count check shared by trace commands: at most one trace file. */
export function expectAtMostOneFile(command: string, args: ParsedArgs): void {
  if (args.positionals.length > 1) {
    throw new InputError(
      `kvsim ${command}: expected at most one trace FILE (got ${args.positionals.length})`,
    );
  }
}
