/**
 * Worker choice of the KV router (docs/design.md#router-cost). The caller lists the routing workers in
 * ascending id order with their logit (cost) and tree size; the selector returns an index into that list.
 *
 *   candidate i:  logits[i]     overlap_score_weight · prefill_tokens/block_size + decode_blocks (lower is better)
 *                 treeSizes[i]  blocks the worker holds in the prefix index (0 when it matched nothing)
 *
 * Temperature 0: the minimum logit; ties go to the smallest tree size (a worker with no matching cache counts
 * as 0), remaining ties to a uniform draw rng.nextBelow(k) over the tied workers in id order (no draw when one
 * is left). Temperature T > 0: p_i ∝ exp(−(l_i − l_min) / ((l_max − l_min)·T)) (uniform when all logits are
 * equal), sampled with one rng.nextFloat() r: the first i with r < Σ_{j≤i} p_j.
 */

import type { Prng } from "../../../native-free-kernels/prng.js";

/**
 * The cost (docs/design.md#router-cost): weight × potential prefill blocks (real division) + decode blocks.
 */
export function workerLogit(
  overlapScoreWeight: number,
  prefillTokens: number,
  blockSize: number,
  decodeBlocks: number,
): number {
  return overlapScoreWeight * (prefillTokens / blockSize) + decodeBlocks;
}

/** Index of the cheapest candidate with the tree-size tie-break, then a seeded uniform choice. */
export function selectMinimum(logits: Float64Array, treeSizes: Int32Array, count: number, rng: Prng): number {
  let minLogit = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) if ((logits[i] as number) < minLogit) minLogit = logits[i] as number;
  let minTree = Number.POSITIVE_INFINITY;
  let ties = 0;
  let first = 0;
  for (let i = 0; i < count; i++) {
    if (logits[i] !== minLogit) continue;
    const t = treeSizes[i] as number;
    if (t < minTree) {
      minTree = t;
      ties = 1;
      first = i;
    } else if (t === minTree) ties++;
  }
  if (ties <= 1) return first;
  let pick = rng.nextBelow(ties);
  for (let i = first; i < count; i++) {
    if (logits[i] === minLogit && treeSizes[i] === minTree) {
      if (pick === 0) return i;
      pick--;
    }
  }
  return first; // unreachable: pick < ties
}

/** Softmax probabilities (docs/design.md#router-cost) into out[0..count). */
export function softmaxProbabilities(
  logits: Float64Array,
  count: number,
  temperature: number,
  out: Float64Array,
): void {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const l = logits[i] as number;
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  if (lo === hi) {
    for (let i = 0; i < count; i++) out[i] = 1 / count;
    return;
  }
  const scale = (hi - lo) * temperature;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const w = Math.exp(-((logits[i] as number) - lo) / scale);
    out[i] = w;
    sum += w;
  }
  for (let i = 0; i < count; i++) out[i] = (out[i] as number) / sum;
}

/** Index sampled from the softmax probabilities (written to `scratch`) with one uniform draw. */
export function softmaxSample(
  logits: Float64Array,
  count: number,
  temperature: number,
  rng: Prng,
  scratch: Float64Array,
): number {
  softmaxProbabilities(logits, count, temperature, scratch);
  const r = rng.nextFloat();
  let cum = 0;
  let lastPositive = 0;
  for (let i = 0; i < count; i++) {
    const p = scratch[i] as number;
    if (p > 0) lastPositive = i;
    cum += p;
    if (r < cum) return i;
  }
  return lastPositive; // rounding left Σp just below r
}
