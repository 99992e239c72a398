// kvsim decode sizing: how many engines hold the decoding requests at an ITL within the budget. One engine's
// batch is the largest whose pass time meets the budget and whose KV fits (prompts are not discounted: cache
// hits do not shrink the KV a decoding request holds); the requests decoding at once follow Little's law
// (arrival rate × output length × ITL), plus a z-score of their Poisson spread, and never fewer than are
// decoding or waiting now (docs/planner.md#kvsim-policy).

import { normalQuantile } from "./normal-quantile.js";

export interface DecodeSizingInput {
  /** Seconds of one decode pass of `batch` requests holding `kvTokens` (the decode perf model). */
  readonly passSeconds: (batch: number, kvTokens: number) => number;
  /** Sequences one engine runs at most (max_num_seqs). */
  readonly maxBatch: number;
  /** KV tokens one engine holds (null: unknown, no KV cap). */
  readonly maxKvTokens: number | null;
  readonly arrivalRatePerS: number;
  /** Mean prompt and output lengths, tokens. */
  readonly isl: number;
  readonly osl: number;
  /** Requests decoding now plus those waiting to start decoding. */
  readonly activeRequests: number;
  /** The ITL a request may see, seconds (SLA × headroom). */
  readonly itlBudgetS: number;
  /** Share of the time the pool must keep up. */
  readonly quantile: number;
  /** Squared coefficient of variation of arrivals (1 for Poisson). */
  readonly arrivalVariability: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

export interface DecodeSizing {
  readonly replicas: number;
  readonly bindingTerm: "demand" | "active" | "floor";
  /** Requests one engine decodes at once within the ITL budget. */
  readonly batchPerEngine: number;
  /** ITL at the expected per-engine batch of the chosen size, seconds. */
  readonly itlAtBatchS: number;
  /** Requests expected to decode at once (mean, then with headroom). */
  readonly meanConcurrency: number;
  readonly concurrencyWithHeadroom: number;
  /** False when even a batch of one misses the ITL budget. */
  readonly itlFeasible: boolean;
}

/** Share of an engine's KV the batch may fill: room for growth without preemption. */
const KV_FILL_LIMIT = 0.9;

/**
 * Requests decoding at once on n engines (Little's law at the ITL they would see): the fixed point of
 * b = λ·osl·f(b, b·ctx)/n per engine, by iteration from b = 1 (f grows slowly with b); total = n·b.
 */
function meanConcurrency(input: DecodeSizingInput, ctx: number, engines: number, cap: number): number {
  let perEngine = 1;
  for (let k = 0; k < 200; k++) {
    const b = Math.max(1, perEngine);
    const next = (input.arrivalRatePerS * input.osl * input.passSeconds(b, b * ctx)) / engines;
    if (Math.abs(next - perEngine) <= 1e-9 * Math.max(1, next) || next > 2 * cap) return next * engines;
    perEngine = next;
  }
  return perEngine * engines;
}

export function sizeDecode(input: DecodeSizingInput): DecodeSizing {
  const ctx = Math.max(1, input.isl + input.osl / 2);
  const kvCap =
    input.maxKvTokens !== null && input.maxKvTokens > 0
      ? Math.max(1, Math.floor((KV_FILL_LIMIT * input.maxKvTokens) / ctx))
      : input.maxBatch;
  const cap = Math.max(1, Math.min(input.maxBatch, kvCap));
  const itlFeasible = input.passSeconds(1, ctx) <= input.itlBudgetS;
  let lo = 1;
  let hi = cap;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (input.passSeconds(mid, mid * ctx) <= input.itlBudgetS) lo = mid;
    else hi = mid - 1;
  }
  const batch = lo;
  const z = Math.max(0, normalQuantile(input.quantile));
  const floor = Math.max(1, input.minReplicas);
  const max = Math.max(floor, input.maxReplicas);
  const forActive = Math.ceil(input.activeRequests / batch);
  let chosen = max;
  let mean = 0;
  let withHeadroom = 0;
  for (let n = floor; n <= max; n++) {
    mean = meanConcurrency(input, ctx, n, cap);
    withHeadroom = mean + z * Math.sqrt(mean * Math.max(1, input.arrivalVariability));
    if (withHeadroom <= n * batch && n >= forActive) {
      chosen = n;
      break;
    }
  }
  const perEngine = Math.max(1, Math.min(batch, mean / chosen));
  let bindingTerm: DecodeSizing["bindingTerm"] = "floor";
  if (chosen > floor) bindingTerm = forActive >= chosen ? "active" : "demand";
  return {
    replicas: chosen,
    bindingTerm,
    batchPerEngine: batch,
    itlAtBatchS: input.passSeconds(perEngine, perEngine * ctx),
    meanConcurrency: mean,
    concurrencyWithHeadroom: withHeadroom,
    itlFeasible,
  };
}
