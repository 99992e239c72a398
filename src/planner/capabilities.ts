// Engine capabilities sanity checks: the flows divide by these values, so a zero GPU count or a negative token
// capacity would turn into silent nonsense (Infinity replicas) instead of an error.

import { InputError } from "../util/errors.js";
import type { EngineCapabilities, WorkerCapabilities } from "./types.js";

const NON_NEGATIVE_FIELDS = ["maxNumBatchedTokens", "maxNumSeqs", "contextLength", "maxKvTokens"] as const;

/** Throws an InputError naming the first bad field; null/absent fields are fine (capability unknown). */
export function validateCapabilities(
  capabilities: WorkerCapabilities,
  source = "planner capabilities",
): void {
  for (const component of ["prefill", "decode"] as const) {
    const caps: EngineCapabilities | null | undefined = capabilities[component];
    if (caps === null || caps === undefined) continue;
    const gpus = caps.numGpu;
    if (gpus !== null && gpus !== undefined && !(Number.isInteger(gpus) && gpus > 0)) {
      throw new InputError(
        `${source}: field "${component}.numGpu": must be a positive integer (got ${gpus})`,
      );
    }
    for (const field of NON_NEGATIVE_FIELDS) {
      const v = caps[field];
      if (v !== null && v !== undefined && !(Number.isFinite(v) && v >= 0)) {
        throw new InputError(
          `${source}: field "${component}.${field}": must be a finite number >= 0 (got ${v})`,
        );
      }
    }
  }
}
