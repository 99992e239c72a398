import { outputFailure } from "../util/output-failure.js";

/**
 * Turns a file-system failure on an output path (missing directory, no permission, a directory in the way, a
 * full disk) into a one-line InputError naming the path; an error without an errno code is rethrown unchanged.
 * The writers in util/atomic-write.ts already do this; callers use it for what they do themselves (mkdir).
 */
export function outputPathError(path: string, error: unknown): unknown {
  return outputFailure(path, error);
}
