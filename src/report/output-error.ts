import { InputError, inputErrorAt } from "../util/errors.js";

/**
 * Turns a file-system failure on an output path (missing directory, no permission, a directory in the way)
 * into a one-line InputError naming the path; anything else is rethrown unchanged.
 */
export function outputPathError(path: string, error: unknown): unknown {
  if (error instanceof InputError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reasons: Record<string, string> = {
    ENOENT: "cannot write: its directory does not exist",
    EACCES: "cannot write: permission denied",
    EPERM: "cannot write: operation not permitted",
    EISDIR: "cannot write: it is a directory",
    ENOTDIR: "cannot write: a parent is not a directory",
    EROFS: "cannot write: read-only file system",
    ENOSPC: "cannot write: no space left on device",
  };
  const reason = typeof code === "string" ? reasons[code] : undefined;
  return reason === undefined ? error : inputErrorAt(path, null, null, reason);
}
