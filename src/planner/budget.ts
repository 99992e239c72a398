// GPU budget clamps (docs/planner.md#gpu-budget). There is no max-replica setting: the ceiling is
// `max_gpu_budget` GPUs (negative disables it) and the floor is `min_endpoint` replicas per component. When
// the budget cannot even hold `min_endpoint` replicas, the reference answers 0 replicas rather than
// overspending.

export interface BudgetLimits {
  /** GPUs; negative = no budget. */
  readonly maxGpuBudget: number;
  /** Replicas per component. */
  readonly minEndpoint: number;
}

/** Clamp one component's replica count to what `maxGpuBudget` GPUs can hold at `gpusPerReplica` each. */
export function budgetClamp(desired: number, gpusPerReplica: number, limits: BudgetLimits): number {
  const { maxGpuBudget, minEndpoint } = limits;
  if (maxGpuBudget < 0) return desired;
  if (desired * gpusPerReplica <= maxGpuBudget) return desired;
  if (maxGpuBudget < minEndpoint * gpusPerReplica) return 0; // cannot afford even the floor
  return Math.max(minEndpoint, Math.floor(maxGpuBudget / gpusPerReplica));
}

/**
 * Single-component clamp. Unknown GPUs per replica → `desired` unchanged (the reference then skips even the
 * `min_endpoint` floor); otherwise raise to `min_endpoint` first, then clamp.
 */
export function applySingleBudget(
  desired: number,
  gpusPerReplica: number | null | undefined,
  limits: BudgetLimits,
): number {
  if (gpusPerReplica === null || gpusPerReplica === undefined) return desired;
  return budgetClamp(Math.max(desired, limits.minEndpoint), gpusPerReplica, limits);
}

export interface ReplicaPair {
  readonly numPrefill: number;
  readonly numDecode: number;
}

/**
 * Joint prefill + decode clamp: scale prefill down proportionally (leaving room for decode's floor), then give
 * every leftover GPU to decode — so decode may end above what was asked for.
 */
export function applyGlobalBudget(
  numPrefill: number,
  numDecode: number,
  prefillGpusPerReplica: number | null | undefined,
  decodeGpusPerReplica: number | null | undefined,
  limits: BudgetLimits,
): ReplicaPair {
  const { maxGpuBudget, minEndpoint } = limits;
  const gP = prefillGpusPerReplica;
  const gD = decodeGpusPerReplica;
  if (maxGpuBudget < 0 || gP === null || gP === undefined || gD === null || gD === undefined) {
    return { numPrefill, numDecode };
  }
  const total = numPrefill * gP + numDecode * gD;
  if (total <= maxGpuBudget) return { numPrefill, numDecode };
  const minRequired = minEndpoint * gP + minEndpoint * gD;
  if (maxGpuBudget < minRequired) return { numPrefill: 0, numDecode: 0 };
  const scale = maxGpuBudget / total;
  const maxPrefill = Math.floor((maxGpuBudget - minEndpoint * gD) / gP);
  const clampedPrefill = Math.max(minEndpoint, Math.min(maxPrefill, Math.floor(numPrefill * scale)));
  const remaining = maxGpuBudget - clampedPrefill * gP;
  return { numPrefill: clampedPrefill, numDecode: Math.max(minEndpoint, Math.floor(remaining / gD)) };
}
