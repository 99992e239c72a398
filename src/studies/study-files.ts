// Writes a study's files: every text rendered before the first write, the directory created if missing, each
// file written atomically (a failed run never leaves half a file), every failure named by its path.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { outputPathError } from "../report/output-error.js";
import { writeFileAtomic } from "../util/atomic-write.js";

/** Writes `texts[name]` to `outDir/name` for each name; returns the paths in the same order. */
export function writeStudyFiles(
  outDir: string,
  texts: readonly (readonly [name: string, text: string])[],
): string[] {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw outputPathError(outDir, error);
  }
  return texts.map(([name, text]) => {
    const path = join(outDir, name);
    try {
      writeFileAtomic(path, text);
    } catch (error) {
      throw outputPathError(path, error);
    }
    return path;
  });
}

/** JSON.stringify would write NaN/Infinity as null; a figure that is not finite is a bug, so refuse it. */
export function finiteFiguresOnly(study: string): (key: string, value: unknown) => unknown {
  return (key, value) => {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new RangeError(`${study} study: field "${key}" is not finite (${value})`);
    }
    return value;
  };
}
