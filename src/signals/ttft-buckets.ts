// Time-to-first-token counts in fixed buckets, as a frontend's TTFT histogram exposes them (Prometheus
// `…_bucket{le=…}` counters): the kvsim planner reads from them how many first tokens of a window met the TTFT
// SLA, without the simulation knowing the SLA. Bounds in ms; the last bucket is +Inf.

export const TTFT_BUCKET_BOUNDS_MS: readonly number[] = [
  25,
  50,
  100,
  250,
  500,
  750,
  1000,
  1500,
  2000,
  3000,
  4000,
  5000,
  6000,
  8000,
  10_000,
  15_000,
  20_000,
  30_000,
  60_000,
  Number.POSITIVE_INFINITY,
];

export const TTFT_BUCKET_COUNT = TTFT_BUCKET_BOUNDS_MS.length;

/** The bucket of a TTFT: the first whose bound is ≥ it (le semantics). */
export function ttftBucketOf(ttftMs: number): number {
  let b = 0;
  while (ttftMs > (TTFT_BUCKET_BOUNDS_MS[b] as number)) b++;
  return b;
}

/**
 * First tokens at or under `slaMs`: every bucket whose bound is ≤ slaMs, plus the straddling bucket's count
 * scaled by where slaMs falls in it (linear, as histogram_quantile assumes); none of the +Inf bucket.
 */
export function countWithinMs(counts: ArrayLike<number>, slaMs: number): number {
  let within = 0;
  let lower = 0;
  for (let b = 0; b < TTFT_BUCKET_COUNT; b++) {
    const upper = TTFT_BUCKET_BOUNDS_MS[b] as number;
    const n = counts[b] as number;
    if (upper <= slaMs) within += n;
    else {
      if (Number.isFinite(upper) && slaMs > lower) within += (n * (slaMs - lower)) / (upper - lower);
      break;
    }
    lower = upper;
  }
  return within;
}
