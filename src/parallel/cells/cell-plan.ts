import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import { InputError } from "../../util/errors.js";

/**
 * How a cluster's settings spread over K cells. Counts (workers per pool, the closed-loop concurrency cap, and
 * the planner's targets during the run) split floor + remainder: every cell gets ⌊total/K⌋ and the lowest
 * `total mod K` cells one more — the same rule everywhere, so the workers a planner target keeps are exactly
 * the ones the global id scheme (cell-ids.ts) numbers lowest. Cell k replays with seed (seed + k) mod 2^32
 * (cell 0 keeps the run's seed, so one cell is the unsharded replay).
 */

/** `total` spread over `cells`: ⌊total/cells⌋ each, plus one for cells 0 .. (total mod cells) − 1. */
export function spreadCount(total: number, cells: number): Int32Array {
  if (!Number.isInteger(total) || total < 0)
    throw new RangeError(`spreadCount: total must be an integer ≥ 0, got ${total}`);
  if (!Number.isInteger(cells) || cells < 1)
    throw new RangeError(`spreadCount: cells must be an integer ≥ 1, got ${cells}`);
  const out = new Int32Array(cells);
  const base = Math.floor(total / cells);
  const extra = total - base * cells;
  for (let k = 0; k < cells; k++) out[k] = base + (k < extra ? 1 : 0);
  return out;
}

function needPerCell(total: number, cells: number, flag: string, what: string): void {
  if (total < cells) {
    throw new InputError(
      `--cells ${cells}: ${flag} ${total} leaves cell ${total} without ${what} (every cell needs at least one; ` +
        `give ${flag} >= ${cells} or use fewer cells)`,
    );
  }
}

/** The options of each cell of a `cells`-cell replay of `options`; InputError when a cell would get no worker. */
export function planCellOptions(options: ClusterOptions, cells: number): ClusterOptions[] {
  if (options.mode === "agg") needPerCell(options.numWorkers, cells, "--num-workers", "a worker");
  else {
    needPerCell(options.numPrefillWorkers, cells, "--num-prefill-workers", "a prefill worker");
    needPerCell(options.numDecodeWorkers, cells, "--num-decode-workers", "a decode worker");
  }
  if (options.concurrency !== null)
    needPerCell(options.concurrency, cells, "--concurrency", "a request in flight");
  const workers = spreadCount(options.numWorkers, cells);
  const prefill = spreadCount(options.numPrefillWorkers, cells);
  const decode = spreadCount(options.numDecodeWorkers, cells);
  const concurrency = options.concurrency === null ? null : spreadCount(options.concurrency, cells);
  const out: ClusterOptions[] = [];
  for (let k = 0; k < cells; k++) {
    out.push({
      ...options,
      // Pools a mode does not use keep the run's value (≥ 1, as resolveClusterOptions requires).
      numWorkers: options.mode === "agg" ? (workers[k] as number) : options.numWorkers,
      numPrefillWorkers: options.mode === "disagg" ? (prefill[k] as number) : options.numPrefillWorkers,
      numDecodeWorkers: options.mode === "disagg" ? (decode[k] as number) : options.numDecodeWorkers,
      concurrency: concurrency === null ? null : (concurrency[k] as number),
      seed: (options.seed + k) >>> 0,
    });
  }
  return out;
}

/** Worker counts of each pool of a plan, for reports: {agg: [...]} or {prefill: [...], decode: [...]}. */
export function cellWorkerCounts(plan: readonly ClusterOptions[]): Record<string, number[]> {
  const first = plan[0];
  if (first === undefined) return {};
  if (first.mode === "agg") return { agg: plan.map((o) => o.numWorkers) };
  return { prefill: plan.map((o) => o.numPrefillWorkers), decode: plan.map((o) => o.numDecodeWorkers) };
}
