// The cheapest pool sizes that pass a monotone-looking test (more replicas never hurt — assumed, not proven: a
// router's choices can make a bigger pool slightly worse, so the answer is the cheapest the search found, each
// candidate verified by simulation). Shared by the hindsight window search and the cheapest static search.
//
// Agg (one pool): gallop from a start size — down while it passes, up while it fails — doubling the step, then
// bisect between the last failing and the first passing size.
// Disagg (two pools): from the start point, if it fails, grow both pools together (1, 2, 4 … replicas each, within
// the budget), then each pool alone to the budget; from the first passing point, coordinate descent: the fewest
// prefill replicas that pass with the decode count held, then the fewest decode replicas, repeated while it helps
// (at most 3 rounds). The answer is the cheapest passing point tested (GPUs; ties → fewer prefill replicas).

import { fits, gpusOf, maxDecode, maxPrefill, type PoolLimits } from "./pool-limits.js";
import type { PoolSizes } from "./schedule.js";

export interface SizeSearchResult {
  /** The cheapest passing sizes found; null when none within the budget passed. */
  readonly best: PoolSizes | null;
  /** The most expensive sizes tested (the fallback when nothing passes). */
  readonly largest: PoolSizes;
  readonly tests: number;
}

const MAX_ROUNDS = 3;

/** Memoised test: each size is simulated at most once per search. */
class Tester {
  readonly passed = new Map<string, boolean>();
  largest: PoolSizes | null = null;
  private readonly limits: PoolLimits;
  private readonly test: (s: PoolSizes) => boolean;

  constructor(limits: PoolLimits, test: (s: PoolSizes) => boolean) {
    this.limits = limits;
    this.test = test;
  }

  pass(s: PoolSizes): boolean {
    const key = `${s.prefill},${s.decode}`;
    const seen = this.passed.get(key);
    if (seen !== undefined) return seen;
    const ok = this.test(s);
    this.passed.set(key, ok);
    if (this.largest === null || gpusOf(this.limits, s) > gpusOf(this.limits, this.largest)) this.largest = s;
    return ok;
  }

  best(): PoolSizes | null {
    let best: PoolSizes | null = null;
    for (const [key, ok] of this.passed) {
      if (!ok) continue;
      const [p, d] = key.split(",").map(Number) as [number, number];
      const s = { prefill: p, decode: d };
      if (best === null) best = s;
      else {
        const a = gpusOf(this.limits, s);
        const b = gpusOf(this.limits, best);
        if (a < b || (a === b && s.prefill < best.prefill)) best = s;
      }
    }
    return best;
  }
}

/** The least value in [lo, hi] passing, given that `hi`… passes is unknown: gallop from `start`, then bisect. */
function minimalPassing(lo: number, hi: number, start: number, pass: (n: number) => boolean): number | null {
  if (hi < lo) return null;
  const s0 = Math.min(hi, Math.max(lo, start));
  let good: number | null = null;
  let bad: number | null = null;
  if (pass(s0)) {
    good = s0;
    for (let step = 1; good > lo; step *= 2) {
      const c = Math.max(lo, good - step);
      if (pass(c)) good = c;
      else {
        bad = c;
        break;
      }
    }
  } else {
    bad = s0;
    for (let step = 1; bad < hi; step *= 2) {
      const c = Math.min(hi, bad + step);
      if (pass(c)) {
        good = c;
        break;
      }
      bad = c;
    }
  }
  if (good === null) return null;
  let hiPass: number = good;
  if (bad === null) return hiPass;
  let loFail: number = bad;
  while (hiPass - loFail > 1) {
    const mid = loFail + Math.floor((hiPass - loFail) / 2);
    if (pass(mid)) hiPass = mid;
    else loFail = mid;
  }
  return hiPass;
}

/** The cheapest sizes passing `test`, searched from `start` (see the header). */
export function cheapestSizes(
  limits: PoolLimits,
  start: PoolSizes,
  test: (s: PoolSizes) => boolean,
): SizeSearchResult {
  const t = new Tester(limits, test);
  const min = limits.minReplicas;
  if (!limits.disagg) {
    const hi = maxDecode(limits, 0);
    minimalPassing(min, hi, start.decode, (n) => t.pass({ prefill: 0, decode: n }));
  } else {
    let point = feasiblePoint(limits, start, t);
    for (let round = 0; point !== null && round < MAX_ROUNDS; round++) {
      const d = point.decode;
      const p = minimalPassing(min, maxPrefill(limits, d), point.prefill, (n) =>
        t.pass({ prefill: n, decode: d }),
      ) as number;
      const d2 = minimalPassing(min, maxDecode(limits, p), d, (n) =>
        t.pass({ prefill: p, decode: n }),
      ) as number;
      const next = { prefill: p, decode: d2 };
      if (next.prefill === point.prefill && next.decode === point.decode) break;
      point = next;
    }
  }
  const fallback = t.largest ?? start;
  return { best: t.best(), largest: fallback, tests: t.passed.size };
}

/** A passing disagg point near `start`, or null: start, then both pools grown, then each alone to the budget. */
function feasiblePoint(limits: PoolLimits, start: PoolSizes, t: Tester): PoolSizes | null {
  const min = limits.minReplicas;
  const s = {
    prefill: Math.max(min, start.prefill),
    decode: Math.max(min, start.decode),
  };
  const s0 = fits(limits, s) ? s : { prefill: min, decode: min };
  if (t.pass(s0)) return s0;
  let last = 0;
  for (let step = 1; ; step *= 2) {
    // The largest joint growth ≤ step that fits.
    let k = step;
    while (k > last && !fits(limits, { prefill: s0.prefill + k, decode: s0.decode + k })) k--;
    if (k <= last) break;
    const c = { prefill: s0.prefill + k, decode: s0.decode + k };
    if (t.pass(c)) return c;
    last = k;
  }
  const alone = [
    { prefill: maxPrefill(limits, s0.decode), decode: s0.decode },
    { prefill: s0.prefill, decode: maxDecode(limits, s0.prefill) },
  ];
  for (const c of alone) if (fits(limits, c) && t.pass(c)) return c;
  return null;
}
