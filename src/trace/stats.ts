import type { TraceColumns } from "./columns.js";
import { HashIdSet } from "./hash-id-set.js";

/**
 * `kvsim trace stats`: the shape of a trace and the prefix reuse an infinitely large cache would see.
 *
 * Reuse, walking rows in arrival order (row order: strict parsing guarantees non-decreasing arrivals, --sort
 * sorts stably): request i with k_i blocks reuses r_i = the length of its leading run of hash ids that some
 * earlier request already had; its first never-seen id ends the run (later ids do not count even if seen,
 * because a prefix cache can only match a prefix). Then all its ids join the cache.
 *   blocks          = Σ r_i / Σ k_i
 *   perRequestMean  = (1/n) Σ (r_i / k_i)
 *   tokens          = Σ reusedTokens_i / Σ input_i, reusedTokens_i = min(r_i · B, input_i)
 *                     (a reused last block counts its real length input_i − B·(k_i − 1))
 * Percentiles are nearest-rank: the sorted value at index round((n − 1) · p / 100), halves away from zero.
 */

export interface DistributionSummary {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface TraceStats {
  readonly requests: number;
  /** Last arrival − first arrival, seconds. */
  readonly spanS: number;
  /** requests / span, req/s; null when every request arrives at the same instant. */
  readonly rateRps: number | null;
  readonly isl: DistributionSummary;
  readonly osl: DistributionSummary;
  readonly uniqueHashIds: number;
  readonly reuse: {
    readonly blocks: number;
    readonly perRequestMean: number;
    readonly tokens: number;
  };
}

/** The `--json` shape (snake_case keys). */
export interface TraceStatsJson {
  readonly requests: number;
  readonly span_s: number;
  readonly rate_rps: number | null;
  readonly isl: DistributionSummary;
  readonly osl: DistributionSummary;
  readonly unique_hash_ids: number;
  readonly reuse: { readonly blocks: number; readonly per_request_mean: number; readonly tokens: number };
}

export function computeTraceStats(t: TraceColumns): TraceStats {
  const n = t.count;
  let minMs = Number.POSITIVE_INFINITY;
  let maxMs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const a = t.arrivalMs[i] as number;
    if (a < minMs) minMs = a;
    if (a > maxMs) maxMs = a;
  }
  const spanS = n === 0 ? 0 : (maxMs - minMs) / 1000;
  const reuse = maxHashId(t.hashIds) <= denseLimit(t.hashIds.length) ? reuseDense(t) : reuseSparse(t);
  return {
    requests: n,
    spanS,
    rateRps: spanS > 0 ? n / spanS : null,
    isl: summarize(t.inputTokens),
    osl: summarize(t.outputTokens),
    uniqueHashIds: reuse.unique,
    reuse: {
      blocks: reuse.allBlocks === 0 ? 0 : reuse.reusedBlocks / reuse.allBlocks,
      perRequestMean: n === 0 ? 0 : reuse.fractionSum / n,
      tokens: reuse.allTokens === 0 ? 0 : reuse.reusedTokens / reuse.allTokens,
    },
  };
}

interface ReuseSums {
  reusedBlocks: number;
  allBlocks: number;
  reusedTokens: number;
  allTokens: number;
  fractionSum: number;
  unique: number;
}

function maxHashId(ids: Float64Array): number {
  let max = -1;
  for (let i = 0; i < ids.length; i++) if ((ids[i] as number) > max) max = ids[i] as number;
  return max;
}

/**
 * Ids up to this bound go in a bitmap (one bit per possible id, at most ~1 byte per stored id): Mooncake ids
 * are dense 0..N−1, and a bitmap lookup stays in cache where a hash probe misses it.
 */
function denseLimit(idCount: number): number {
  return Math.min(8 * idCount + (1 << 20), 2 ** 32 - 1);
}

function addRow(sums: ReuseSums, r: number, k: number, input: number, blockSize: number): void {
  sums.reusedBlocks += r;
  sums.allBlocks += k;
  sums.reusedTokens += Math.min(r * blockSize, input);
  sums.allTokens += input;
  sums.fractionSum += k === 0 ? 0 : r / k;
}

function emptySums(): ReuseSums {
  return { reusedBlocks: 0, allBlocks: 0, reusedTokens: 0, allTokens: 0, fractionSum: 0, unique: 0 };
}

/** Reuse with a bitmap of seen ids (ids < 2^32). */
function reuseDense(t: TraceColumns): ReuseSums {
  const sums = emptySums();
  const ids = t.hashIds;
  const seen = new Uint32Array((maxHashId(ids) >>> 5) + 1);
  let unique = 0;
  for (let i = 0; i < t.count; i++) {
    const from = t.hashOffsets[i] as number;
    const to = t.hashOffsets[i + 1] as number;
    let j = from;
    while (j < to) {
      const id = ids[j] as number;
      if (((seen[id >>> 5] as number) & (1 << (id & 31))) === 0) break;
      j++;
    }
    const r = j - from;
    // The reused prefix is already cached; only the rest needs adding.
    for (; j < to; j++) {
      const id = ids[j] as number;
      const word = id >>> 5;
      const bit = 1 << (id & 31);
      const w = seen[word] as number;
      if ((w & bit) === 0) {
        seen[word] = w | bit;
        unique++;
      }
    }
    addRow(sums, r, to - from, t.inputTokens[i] as number, t.traceBlockSize);
  }
  sums.unique = unique;
  return sums;
}

/** Reuse with an open-addressing set (any ids below 2^53). */
function reuseSparse(t: TraceColumns): ReuseSums {
  const sums = emptySums();
  const ids = t.hashIds;
  const seen = new HashIdSet(Math.min(ids.length, 1 << 20));
  for (let i = 0; i < t.count; i++) {
    const from = t.hashOffsets[i] as number;
    const to = t.hashOffsets[i + 1] as number;
    let j = from;
    while (j < to && seen.has(ids[j] as number)) j++;
    const r = j - from;
    for (; j < to; j++) seen.add(ids[j] as number);
    addRow(sums, r, to - from, t.inputTokens[i] as number, t.traceBlockSize);
  }
  sums.unique = seen.size;
  return sums;
}

/** Mean, nearest-rank p50/p90/p99 and max of a column. */
export function summarize(values: Uint32Array): DistributionSummary {
  const n = values.length;
  if (n === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = values.slice().sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  return {
    mean: sum / n,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: sorted[n - 1] as number,
  };
}

/** Sorted value at index round((n − 1) · p / 100); (n − 1) · p is an exact integer, so halves are exact. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.round(((sorted.length - 1) * p) / 100)] as number;
}

export function traceStatsToJson(s: TraceStats): TraceStatsJson {
  return {
    requests: s.requests,
    span_s: s.spanS,
    rate_rps: s.rateRps,
    isl: s.isl,
    osl: s.osl,
    unique_hash_ids: s.uniqueHashIds,
    reuse: { blocks: s.reuse.blocks, per_request_mean: s.reuse.perRequestMean, tokens: s.reuse.tokens },
  };
}
