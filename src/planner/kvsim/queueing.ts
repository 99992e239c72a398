// Queueing formulas the kvsim policy sizes pools with. A pool of c engines fed by one router is modelled as an
// M/M/c queue (Erlang C), with the Allen–Cunneen factor (ca² + cs²)/2 stretching waits for bursty arrivals and
// uneven request sizes. Times in seconds, rates per second.

/**
 * Erlang C: the probability that an arrival has to wait, for c servers and offered load a = λ/μ (a < c).
 * Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows.
 */
export function erlangC(servers: number, offeredLoad: number): number {
  if (!(offeredLoad > 0)) return 0;
  if (offeredLoad >= servers) return 1;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

/**
 * The q-quantile of the wait before service, seconds: P(W > x) = C·exp(−(cμ − λ)·x) for M/M/c, with x
 * stretched by `variability` = (ca² + cs²)/2 (1 for Poisson arrivals and exponential service). 0 when at
 * least a share q of arrivals never waits; +Infinity when the pool cannot keep up (λ ≥ cμ).
 */
export function waitQuantileS(
  servers: number,
  arrivalRatePerS: number,
  serviceRatePerS: number,
  quantile: number,
  variability: number,
): number {
  if (!(arrivalRatePerS > 0)) return 0;
  const capacity = servers * serviceRatePerS;
  if (arrivalRatePerS >= capacity) return Number.POSITIVE_INFINITY;
  const waitProbability = erlangC(servers, arrivalRatePerS / serviceRatePerS);
  const tail = 1 - quantile;
  if (waitProbability <= tail) return 0;
  return (variability * Math.log(waitProbability / tail)) / (capacity - arrivalRatePerS);
}

/**
 * The fewest servers (≥ `minServers`, ≤ `maxServers`) whose q-quantile wait is at most `waitBudgetS`; null when
 * even `maxServers` cannot do it.
 */
export function serversForWait(
  arrivalRatePerS: number,
  serviceRatePerS: number,
  quantile: number,
  variability: number,
  waitBudgetS: number,
  minServers: number,
  maxServers: number,
): number | null {
  if (!(serviceRatePerS > 0)) return null;
  const stable = Math.floor(arrivalRatePerS / serviceRatePerS) + 1;
  for (let c = Math.max(minServers, 1, stable); c <= maxServers; c++) {
    if (waitQuantileS(c, arrivalRatePerS, serviceRatePerS, quantile, variability) <= waitBudgetS) return c;
  }
  return null;
}
