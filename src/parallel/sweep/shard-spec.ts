import { InputError } from "../../util/errors.js";

/**
 * Slicing a grid across machines (`kvsim sweep --shard i/N`): slice i of N (0-based, so it takes a Kubernetes
 * Indexed Job's JOB_COMPLETION_INDEX or a Slurm array's SLURM_ARRAY_TASK_ID with `--array=0-(N-1)` as is)
 * runs the points whose grid index ≡ i (mod N). Round-robin rather than contiguous ranges: grids put the
 * cluster shape near the outside of the expansion order, so neighbouring points cost about the same and a
 * contiguous cut would hand one slice all the big clusters.
 */

export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_GRID: ShardSpec = Object.freeze({ index: 0, count: 1 });

export function parseShardSpec(text: string, flag = "--shard"): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m === null) throw new InputError(`${flag}: expected i/N with 0 <= i < N (got "${text}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(Number.isSafeInteger(count) && count >= 1))
    throw new InputError(`${flag}: N must be >= 1 (got "${text}")`);
  if (!(index < count))
    throw new InputError(`${flag}: i must be in [0, N) — slices are 0-based (got "${text}")`);
  return { index, count };
}

/** Grid indexes of slice `shard` among `total` points, ascending. */
export function shardPointIndexes(total: number, shard: ShardSpec): number[] {
  const out: number[] = [];
  for (let k = shard.index; k < total; k += shard.count) out.push(k);
  return out;
}

/** Whether grid index `k` belongs to `shard`. */
export function inShard(k: number, shard: ShardSpec): boolean {
  return k % shard.count === shard.index;
}

export function formatShard(shard: ShardSpec): string {
  return `${shard.index}/${shard.count}`;
}
