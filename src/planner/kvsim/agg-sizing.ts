// kvsim aggregated sizing: one engine prefills and decodes in the same passes, so a pool is big enough when,
// for the same N engines, (1) the prompt wait stays within the TTFT budget (M/M/c quantile and the projected
// backlog, as for a prefill pool, with each pass also paying for the resident decode KV), (2) the decoding
// requests fit in the batches, and (3) prefill passes are rare enough that the mean ITL stays within its budget:
// with a share ρ of time in prefill passes of f_p seconds (a mean prompt's, mbt at most) and the rest in decode
// passes of f_d seconds, a decoding request sees 1 / (ρ/f_p + (1 − ρ)/f_d) seconds per token
// (docs/planner.md#kvsim-policy).

import { normalQuantile } from "./normal-quantile.js";
import { chunkedPrefillSeconds } from "./prefill-sizing.js";
import { waitQuantileS } from "./queueing.js";

export interface AggSizingInput {
  /** Seconds of one pass with `prefillTokens` fresh tokens and `decodeKvTokens` resident decode KV. */
  readonly passSeconds: (prefillTokens: number, decodeKvTokens: number) => number;
  readonly maxBatchedTokens: number;
  readonly maxBatch: number;
  readonly maxKvTokens: number | null;
  readonly arrivalRatePerS: number;
  readonly isl: number;
  readonly osl: number;
  readonly uncachedTokensPerRequest: number;
  readonly backlogUncachedTokens: number;
  /** Requests decoding or waiting to decode now. */
  readonly activeRequests: number;
  readonly readyReplicas: number;
  readonly startupS: number;
  readonly ttftBudgetS: number;
  /** The mean ITL a pool must keep, s (+Infinity: no ITL check). */
  readonly itlBudgetS: number;
  /** The ITL Little's law prices a decoding request's lifetime at when sizing batches, s (the ITL SLA). */
  readonly concurrencyItlS: number;
  /**
   * The decode ITL the ready engines delivered lately, s (null: none yet). The model's mean ITL is scaled by
   * observed ÷ modelled-at-the-ready-count (0.5 to 4): the model sees a mean prompt, the engines the real mix.
   */
  readonly observedMeanItlS: number | null;
  readonly quantile: number;
  readonly variability: number;
  readonly arrivalVariability: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

export interface AggSizing {
  readonly replicas: number;
  readonly bindingTerm: "ttft" | "itl" | "batch" | "backlog" | "floor";
  readonly capped: boolean;
  /** Uncached tokens per second one engine prefills at the operating point. */
  readonly capacityTokensPerS: number;
  readonly ownPrefillS: number;
  /** TTFT of a mean request arriving now on the ready engines, s. */
  readonly estimatedTtftS: number;
  /** Uncached tokens per second the ready engines prefill, and a mean request's own prefill there, s. */
  readonly readyCapacityTokensPerS: number;
  readonly readyOwnPrefillS: number;
  /** Mean ITL expected at the chosen size, s. */
  readonly estimatedItlS: number;
  readonly projectedBacklogTokens: number;
}

const KV_FILL_LIMIT = 0.9;

/** What N engines would see. */
interface Operating {
  readonly feasibleBatch: boolean;
  readonly capacity: number;
  readonly own: number;
  readonly prefillShare: number;
  readonly meanItl: number;
  readonly waitQuantile: number;
}

export function sizeAgg(input: AggSizingInput): AggSizing {
  const ctx = Math.max(1, input.isl + input.osl / 2);
  const mbt = input.maxBatchedTokens;
  const z = Math.max(0, normalQuantile(input.quantile));
  // Requests decoding at once (Little's law at the ITL budget, an upper bound on their lifetime), with headroom.
  const meanConcurrency =
    input.arrivalRatePerS * input.osl * Math.min(input.itlBudgetS, input.concurrencyItlS);
  const concurrency = Math.max(
    input.activeRequests,
    meanConcurrency + z * Math.sqrt(meanConcurrency * Math.max(1, input.arrivalVariability)),
  );
  const demandTokensPerS = input.arrivalRatePerS * input.uncachedTokensPerRequest;
  const at = (n: number): Operating => {
    const perEngine = concurrency / n;
    const kvCap =
      input.maxKvTokens !== null && input.maxKvTokens > 0
        ? (KV_FILL_LIMIT * input.maxKvTokens) / ctx
        : Infinity;
    const kv = perEngine * ctx;
    const prefillPass = input.passSeconds(mbt, kv);
    const decodePass = input.passSeconds(0, kv);
    const capacity = mbt / prefillPass;
    const own = chunkedPrefillSeconds(input.uncachedTokensPerRequest, mbt, (t) => input.passSeconds(t, kv));
    const prefillShare = demandTokensPerS / (n * capacity);
    // A prompt usually prefills in passes of its own size (mbt at most), interleaved with decode passes.
    const promptPass = input.passSeconds(Math.min(mbt, Math.max(1, input.uncachedTokensPerRequest)), kv);
    const meanItl = perEngine > 0 ? 1 / (prefillShare / promptPass + (1 - prefillShare) / decodePass) : 0;
    const serviceRate = input.uncachedTokensPerRequest > 0 ? capacity / input.uncachedTokensPerRequest : 0;
    const waitQuantile =
      serviceRate > 0
        ? waitQuantileS(n, input.arrivalRatePerS, serviceRate, input.quantile, input.variability)
        : 0;
    return {
      feasibleBatch: perEngine <= input.maxBatch && perEngine <= kvCap,
      capacity,
      own,
      prefillShare,
      meanItl,
      waitQuantile,
    };
  };
  const ready = Math.max(0, input.readyReplicas);
  const now = at(Math.max(1, ready));
  const observed = input.observedMeanItlS;
  const itlScale =
    observed !== null && observed > 0 && now.meanItl > 0
      ? Math.min(4, Math.max(0.5, observed / now.meanItl))
      : 1;
  const estimatedTtftS =
    (ready > 0 ? input.backlogUncachedTokens / (ready * now.capacity) : Infinity) + now.own;
  const projected = Math.max(
    0,
    input.backlogUncachedTokens + (demandTokensPerS - ready * now.capacity) * input.startupS,
  );
  const floor = Math.max(1, input.minReplicas);
  const max = Math.max(floor, input.maxReplicas);
  let chosen: { n: number; op: Operating } | null = null;
  // What ruled out the size just below the chosen one (the floor when the floor itself passes).
  let lastFailure: AggSizing["bindingTerm"] = "floor";
  for (let n = floor; n <= max; n++) {
    const op = at(n);
    const waitBudget = input.ttftBudgetS - op.own;
    let failure: AggSizing["bindingTerm"] | null = null;
    if (!op.feasibleBatch) failure = "batch";
    else if (!(op.prefillShare < 1) || !(op.waitQuantile <= waitBudget)) failure = "ttft";
    else if (op.meanItl * itlScale > input.itlBudgetS) failure = "itl";
    else if (
      projected > 0 &&
      demandTokensPerS + projected / Math.max(waitBudget, input.startupS) > n * op.capacity
    )
      failure = "backlog";
    if (failure === null) {
      chosen = { n, op };
      break;
    }
    lastFailure = failure;
  }
  const capped = chosen === null;
  const n = chosen?.n ?? max;
  const op = chosen?.op ?? at(max);
  return {
    replicas: n,
    bindingTerm: lastFailure,
    capped,
    capacityTokensPerS: op.capacity,
    ownPrefillS: op.own,
    estimatedTtftS,
    readyCapacityTokensPerS: ready * now.capacity,
    readyOwnPrefillS: now.own,
    estimatedItlS: op.meanItl * itlScale,
    projectedBacklogTokens: projected,
  };
}
