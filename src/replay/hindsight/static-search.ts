// The cheapest static cluster meeting the SLA attainment target: full replays of fixed pool sizes within the GPU
// budget. Agg: gallop down from the budget's largest pool, then bisect. Disagg: a staircase over prefill sizes —
// for each prefill count (ascending) the fewest decode replicas that pass (gallop from the previous count's answer,
// bisect), stopping once even the decode floor costs more than the best found. Both assume more replicas never
// hurt; every answer is a verified replay. A failing replay stops as soon as its misses exceed what the target
// allows (window-judge.ts, one group of every request), a passing one runs to the end for its GPU-hours.

import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { ClusterSimulation } from "../../sim/cluster/cluster-simulation.js";
import type { TraceColumns } from "../../trace/columns.js";
import { lastTokenMs, simulationWithSizes, stepOn } from "./hindsight-search.js";
import { gpusOf, maxDecode, maxPrefill, type PoolLimits } from "./pool-limits.js";
import type { PoolSizes } from "./schedule.js";
import { cheapestSizes } from "./size-search.js";
import { type SlaTarget, WindowJudge } from "./window-judge.js";

/** Simulated time between two looks at a static replay's verdict, ms. */
const JUDGE_STEP_MS = 30_000;

export interface StaticRun {
  readonly sizes: PoolSizes;
  readonly simulation: ClusterSimulation;
  readonly endMs: number;
  readonly gpuHours: number;
}

export interface StaticSearchResult {
  /** The cheapest passing static cluster; null when none within the budget passes. */
  readonly best: StaticRun | null;
  /** The largest cluster tried (named in the error when nothing passes). */
  readonly largest: PoolSizes;
  readonly replays: number;
}

export interface StaticSearchInput {
  readonly trace: TraceColumns;
  readonly options: ClusterOptions;
  readonly limits: PoolLimits;
  readonly sla: SlaTarget;
}

/** One full replay at fixed sizes; null when it misses the target (stopped as soon as that is certain). */
export function staticReplay(input: StaticSearchInput, sizes: PoolSizes): StaticRun | null {
  const sim = simulationWithSizes(input.trace, input.options, sizes);
  const n = input.trace.count;
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  const judge = new WindowJudge(ids, new Int32Array(n), 1, input.sla, input.trace.outputTokens);
  while (!sim.isDone()) {
    stepOn(sim, JUDGE_STEP_MS);
    if ((judge.judge(sim.collector, sim.now)[0] as { verdict: string }).verdict === "fail") return null;
  }
  if ((judge.judge(sim.collector, sim.now)[0] as { verdict: string }).verdict !== "pass") return null;
  const endMs = lastTokenMs(sim);
  return { sizes, simulation: sim, endMs, gpuHours: (gpusOf(input.limits, sizes) * endMs) / 3_600_000 };
}

/** The cheapest static cluster meeting the target (see the header). */
export function cheapestStatic(input: StaticSearchInput): StaticSearchResult {
  const { limits } = input;
  const passed = new Map<string, boolean>();
  // Only the cheapest passing run is kept (a finished simulation holds tens of MB on a real trace).
  let best: StaticRun | null = null;
  const test = (s: PoolSizes): boolean => {
    const key = `${s.prefill},${s.decode}`;
    const seen = passed.get(key);
    if (seen !== undefined) return seen;
    const run = staticReplay(input, s);
    passed.set(key, run !== null);
    if (run !== null && (best === null || run.gpuHours < best.gpuHours)) best = run;
    return run !== null;
  };
  const min = limits.minReplicas;
  let largest: PoolSizes;
  if (!limits.disagg) {
    largest = { prefill: 0, decode: maxDecode(limits, 0) };
    cheapestSizes(limits, largest, test);
  } else {
    largest = { prefill: min, decode: maxDecode(limits, min) };
    let bestGpus = Number.POSITIVE_INFINITY;
    let decodeStart = maxDecode(limits, min);
    for (let p = min; p <= maxPrefill(limits, min); p++) {
      if (gpusOf(limits, { prefill: p, decode: min }) >= bestGpus) break;
      const hi = maxDecode(limits, p);
      const found = cheapestDecode(min, hi, Math.min(hi, decodeStart), (d) =>
        test({ prefill: p, decode: d }),
      );
      if (found === null) continue;
      decodeStart = found;
      bestGpus = Math.min(bestGpus, gpusOf(limits, { prefill: p, decode: found }));
    }
  }
  return { best, largest, replays: passed.size };
}

/** The fewest decode replicas in [lo, hi] passing, galloping from `start` (assumed monotone). */
function cheapestDecode(lo: number, hi: number, start: number, pass: (d: number) => boolean): number | null {
  if (hi < lo) return null;
  let good: number;
  let bad: number | null = null;
  if (pass(start)) good = start;
  else {
    // More decode than the previous prefill count needed cannot be required: test the top once, then bisect.
    if (start === hi || !pass(hi)) return null;
    good = hi;
    bad = start;
  }
  for (let step = 1; bad === null && good > lo; step *= 2) {
    const c = Math.max(lo, good - step);
    if (pass(c)) good = c;
    else bad = c;
  }
  if (bad === null) return good;
  let loFail: number = bad;
  while (good - loFail > 1) {
    const mid: number = loFail + Math.floor((good - loFail) / 2);
    if (pass(mid)) good = mid;
    else loFail = mid;
  }
  return good;
}
