import { InputError, inputErrorAt } from "./errors.js";

/**
 * Why an output could not be written, as the one line the CLI prints (`p.html: cannot write: no space left on
 * device`, exit 2). A failed output is something the user fixes outside the simulator (the path, permissions,
 * free space, the device), so it shares the bad-input exit code rather than 1, which means a kvsim bug.
 */

/** Stands in for an errno code when write(2) returned 0 for a non-empty buffer. */
const SHORT_WRITE = "KVSIM_SHORT_WRITE";

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "its directory does not exist",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  EEXIST: "a file of that name is in the way",
  ENOTDIR: "a parent is not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large",
  EIO: "input/output error",
  EPIPE: "broken pipe (the reader went away)",
  ENXIO: "no such device",
  EBADF: "not open for writing",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "file name too long",
  ETXTBSY: "file busy",
  EMFILE: "too many open files",
  ENFILE: "too many open files",
  [SHORT_WRITE]: "the device accepted no more bytes (short write)",
};

/** The error a writer raises when write(2) returns 0 for a non-empty buffer: retrying would spin forever. */
export function shortWriteError(): Error {
  return Object.assign(new Error("short write"), { code: SHORT_WRITE });
}

/**
 * Turns a file-system failure on output `path` into a one-line InputError naming it. An InputError passes
 * through unchanged; an error without an errno code is a bug and is rethrown as it is.
 */
export function outputFailure(path: string, error: unknown): unknown {
  if (error instanceof InputError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error;
  const reason = REASONS[code] ?? code;
  return inputErrorAt(path, null, null, `cannot write: ${reason}`);
}
