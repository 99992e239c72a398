// kvsim prefill sizing: how many engines keep the TTFT of a new request within the budget, both against the
// steady arrival stream (an M/M/c wait quantile, docs/planner.md#kvsim-policy) and against the backlog already
// waiting — projected over the engines' startup time, since workers ordered now serve only after it.
//
// Work is measured in uncached prompt tokens: prompts minus the prefix reuse the engines realise (awareness
// on), so reuse-heavy traffic does not size prefill for work the cache already did.

import { serversForWait } from "./queueing.js";

export interface PrefillSizingInput {
  /** Seconds of one pass computing `tokens` fresh prompt tokens (the prefill perf model). */
  readonly passSeconds: (tokens: number) => number;
  /** Tokens an engine prefills per pass at most (max_num_batched_tokens). */
  readonly maxBatchedTokens: number;
  /** Forecast arrivals per second. */
  readonly arrivalRatePerS: number;
  /** Uncached prompt tokens of a mean request. */
  readonly uncachedTokensPerRequest: number;
  /** Uncached prompt tokens waiting now (router queue and engine waiting queues). */
  readonly backlogUncachedTokens: number;
  /** Engines serving now. */
  readonly readyReplicas: number;
  /** Seconds a new engine takes to start serving. */
  readonly startupS: number;
  /** The TTFT a request may take, seconds (SLA × headroom). */
  readonly ttftBudgetS: number;
  /** Share of requests that must meet it. */
  readonly quantile: number;
  /** Allen–Cunneen factor (ca² + cs²)/2. */
  readonly variability: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

export interface PrefillSizing {
  /** Engines needed (≥ minReplicas, ≤ maxReplicas). */
  readonly replicas: number;
  /** What set it: the arrival stream, the backlog, or the floor. */
  readonly bindingTerm: "demand" | "backlog" | "floor";
  /** True when even maxReplicas cannot meet the budget (replicas = maxReplicas then). */
  readonly capped: boolean;
  /** Uncached tokens per second one saturated engine prefills. */
  readonly capacityTokensPerS: number;
  /** A mean request's own prefill on an idle engine, seconds. */
  readonly ownPrefillS: number;
  /** TTFT of a mean request arriving now on the ready engines: the backlog ahead plus its own prefill, s. */
  readonly estimatedTtftS: number;
  /** Backlog expected when a worker ordered now is ready, uncached tokens. */
  readonly projectedBacklogTokens: number;
}

/** A prompt of `tokens` in max_num_batched_tokens chunks, one pass each, on an idle engine, seconds. */
export function chunkedPrefillSeconds(
  tokens: number,
  maxBatchedTokens: number,
  passSeconds: (tokens: number) => number,
): number {
  if (!(tokens > 0)) return 0;
  const full = Math.floor(tokens / maxBatchedTokens);
  const rest = tokens - full * maxBatchedTokens;
  return full * passSeconds(maxBatchedTokens) + (rest > 0 ? passSeconds(rest) : 0);
}

export function sizePrefill(input: PrefillSizingInput): PrefillSizing {
  const mbt = input.maxBatchedTokens;
  const capacity = mbt / input.passSeconds(mbt);
  const own = chunkedPrefillSeconds(input.uncachedTokensPerRequest, mbt, input.passSeconds);
  const ready = Math.max(0, input.readyReplicas);
  const estimatedTtftS = (ready > 0 ? input.backlogUncachedTokens / (ready * capacity) : Infinity) + own;
  const demandTokensPerS = input.arrivalRatePerS * input.uncachedTokensPerRequest;
  const projected = Math.max(
    0,
    input.backlogUncachedTokens + (demandTokensPerS - ready * capacity) * input.startupS,
  );
  const waitBudgetS = input.ttftBudgetS - own;
  const floor = Math.max(1, input.minReplicas);
  const max = Math.max(floor, input.maxReplicas);
  if (!(waitBudgetS > 0) || !(capacity > 0)) {
    // Even an idle engine misses the budget for a mean request: size for throughput at half load.
    const replicas = clamp(Math.ceil(demandTokensPerS / (0.5 * capacity)), floor, max);
    return {
      replicas,
      bindingTerm: replicas === floor ? "floor" : "demand",
      capped: true,
      capacityTokensPerS: capacity,
      ownPrefillS: own,
      estimatedTtftS,
      projectedBacklogTokens: projected,
    };
  }
  const serviceRatePerS = input.uncachedTokensPerRequest > 0 ? capacity / input.uncachedTokensPerRequest : 0;
  const forDemand =
    input.arrivalRatePerS > 0 && serviceRatePerS > 0
      ? serversForWait(
          input.arrivalRatePerS,
          serviceRatePerS,
          input.quantile,
          input.variability,
          waitBudgetS,
          1,
          max,
        )
      : 1;
  // Workers ordered now serve from the startup time on: they must keep up with the arrivals and drain the backlog
  // left then over the longer of the wait budget and the startup time (faster would buy capacity for a moment it
  // cannot arrive in).
  const drainS = Math.max(waitBudgetS, input.startupS);
  const forBacklog = projected > 0 ? Math.ceil((demandTokensPerS + projected / drainS) / capacity) : 0;
  const demandReplicas = forDemand ?? max;
  const replicas = clamp(Math.max(demandReplicas, forBacklog), floor, max);
  let bindingTerm: PrefillSizing["bindingTerm"] = "floor";
  if (replicas > floor) bindingTerm = forBacklog > demandReplicas ? "backlog" : "demand";
  return {
    replicas,
    bindingTerm,
    capped: forDemand === null || forBacklog > max,
    capacityTokensPerS: capacity,
    ownPrefillS: own,
    estimatedTtftS,
    projectedBacklogTokens: projected,
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
