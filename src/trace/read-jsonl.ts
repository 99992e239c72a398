import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../util/errors.js";
import { assembleTrace, type TraceReadResult } from "./assemble.js";
import { DEFAULT_TRACE_BLOCK_SIZE, MAX_TRACE_BLOCK_SIZE } from "./columns.js";
import { parseJsonlRange } from "./jsonl-range.js";
import { SequentialReader } from "./sequential-reader.js";

/**
 * Single-threaded Mooncake JSONL reading: stream the file once, hashing (sha256, the source checksum) and
 * parsing the same bytes, then assemble. The parallel reader (src/parallel/ingest-pool.ts) shares every step
 * except the split, which is why both give identical columns.
 */

export interface TraceReadOptions {
  /** Tokens per hash id (default 512). */
  readonly traceBlockSize?: number;
  /** Sort rows stably by arrival instead of rejecting timestamps that go backwards. */
  readonly sort?: boolean;
  /** Skip bad lines (counted per rule in the result) instead of failing on the first. */
  readonly lenient?: boolean;
  /** The file's name in messages (default: the path as given). */
  readonly displayName?: string;
  /** Read size in bytes; tests make it tiny to put lines across reads. */
  readonly chunkBytes?: number;
  /** Called as the file is read (bytes so far, file size), e.g. to drive a progress bar. */
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
}

export interface ResolvedReadOptions {
  readonly traceBlockSize: number;
  readonly sort: boolean;
  readonly lenient: boolean;
  readonly displayName: string;
}

export function resolveReadOptions(path: string, options: TraceReadOptions): ResolvedReadOptions {
  const traceBlockSize = options.traceBlockSize ?? DEFAULT_TRACE_BLOCK_SIZE;
  if (!Number.isInteger(traceBlockSize) || traceBlockSize < 1 || traceBlockSize > MAX_TRACE_BLOCK_SIZE) {
    throw new InputError(
      `--trace-block-size: must be an integer in 1..${MAX_TRACE_BLOCK_SIZE} (got ${traceBlockSize})`,
    );
  }
  return {
    traceBlockSize,
    sort: options.sort ?? false,
    lenient: options.lenient ?? false,
    displayName: options.displayName ?? path,
  };
}

/**
 * An open trace input. `seekable` is false for a pipe, a FIFO, a character device or `-` (standard input): those
 * are read front to back, once, by one reader (positional reads would fail with ESPIPE).
 */
export interface TraceFile {
  readonly fd: number;
  /** Bytes (0 when not seekable: unknown). */
  readonly size: number;
  readonly seekable: boolean;
  /** False for standard input, which is not ours to close. */
  readonly owned: boolean;
}

/** `-` as a trace path: standard input. */
export const STDIN_PATH = "-";

/** `-`, /dev/stdin, /dev/fd/N, /proc/self/fd/N: a descriptor this process already has open. */
function inheritedDescriptor(path: string): number | null {
  if (path === STDIN_PATH || path === "/dev/stdin") return 0;
  const match = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return match === null ? null : Number(match[1]);
}

/** Opens a trace file for reading, turning "no such file" and friends into one-line input errors. */
export function openTraceFile(path: string, displayName: string = path): TraceFile {
  // An inherited descriptor is read as it is: reopening /dev/stdin fails when it is a socket (ENXIO), and an
  // inherited stream is read front to back whatever it is.
  const inherited = inheritedDescriptor(path);
  if (inherited !== null) return { fd: inherited, size: 0, seekable: false, owned: false };
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw fileError(displayName, error);
  }
  const stat = fstatSync(fd);
  if (stat.isDirectory()) {
    closeSync(fd);
    throw new InputError(`${displayName}: is a directory, not a trace file`);
  }
  const seekable = stat.isFile();
  return { fd, size: seekable ? stat.size : 0, seekable, owned: true };
}

export function closeTraceFile(file: TraceFile): void {
  if (file.owned) closeSync(file.fd);
}

export function fileError(displayName: string, error: unknown): InputError {
  const code = (error as { code?: string }).code;
  const why =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory, not a trace file"
          : error instanceof Error
            ? error.message
            : String(error);
  return new InputError(`${displayName}: cannot read (${why})`);
}

/** Reads a Mooncake JSONL trace file (or `-`, a pipe, a FIFO) on the calling thread. */
export function readTraceJsonl(path: string, options: TraceReadOptions = {}): TraceReadResult {
  const opts = resolveReadOptions(path, options);
  const file = openTraceFile(path, opts.displayName);
  try {
    return readJsonlFrom(
      file.seekable ? { kind: "fd", fd: file.fd } : { kind: "stream", reader: new SequentialReader(file.fd) },
      file.size,
      opts,
      options,
    );
  } finally {
    closeTraceFile(file);
  }
}

/**
 * Parses JSONL from an open file (`size` bytes) or a stream (read to its end; `size` is then unknown, 0),
 * hashing the same bytes for the source checksum.
 */
export function readJsonlFrom(
  source:
    | { readonly kind: "fd"; readonly fd: number }
    | { readonly kind: "stream"; readonly reader: SequentialReader },
  size: number,
  opts: ResolvedReadOptions,
  options: TraceReadOptions,
): TraceReadResult {
  const hash = createHash("sha256");
  const onProgress = options.onProgress;
  let done = 0;
  const range = parseJsonlRange(
    source,
    0,
    source.kind === "fd" ? size : Number.POSITIVE_INFINITY,
    { traceBlockSize: opts.traceBlockSize, lenient: opts.lenient, ...chunkOption(options) },
    (bytes) => {
      hash.update(bytes);
      done += bytes.length;
      onProgress?.(done, size);
    },
  );
  // A strict parse that stopped early did not hash the whole file; the checksum is only used on success.
  return assembleTrace([range], {
    ...opts,
    sourceChecksum: range.error === null ? hash.digest("hex") : "",
  });
}

/** Parses a JSONL trace already in memory (tests, or a trace received from elsewhere). */
export function parseTraceJsonl(
  bytes: Uint8Array | string,
  displayName: string,
  options: TraceReadOptions = {},
) {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const opts = resolveReadOptions(displayName, options);
  const range = parseJsonlRange({ kind: "bytes", bytes: data }, 0, data.length, {
    traceBlockSize: opts.traceBlockSize,
    lenient: opts.lenient,
  });
  const checksum = createHash("sha256").update(data).digest("hex");
  return assembleTrace([range], { ...opts, sourceChecksum: checksum });
}

/** sha256 (hex) of a whole file, streamed in blocks (the parallel reader hashes while workers parse). */
export function sha256OfFile(fd: number, size: number): string {
  const hash = createHash("sha256");
  const buf = new Uint8Array(Math.min(Math.max(size, 1), 4 << 20));
  let pos = 0;
  while (pos < size) {
    const got = readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
    if (got === 0) break;
    hash.update(buf.subarray(0, got));
    pos += got;
  }
  return hash.digest("hex");
}

function chunkOption(options: TraceReadOptions): { chunkBytes?: number } {
  return options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes };
}
