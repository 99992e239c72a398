/**
 * Engine-block hashing: expand a request's trace-block hash ids into chained 53-bit engine-block hashes.
 *
 *   trace blocks  | id0 (512 tok)            | id1 (512 tok)            | id2 (partial) |
 *   engine blocks | e0 | e1 | ... | e7       | e8 | ... | e15          | e16 | (tail)  |
 *                   h0 = mix(SEED, id0, 0), h1 = mix(h0, id0, 1), ..., h8 = mix(h7, id1, 0), ...
 *
 * Each hash is a non-negative integer below 2^53 held in a double, built from two 32-bit lanes mixed with
 * Math.imul (no BigInt). Because hash j chains every block before it, two requests share engine block j iff
 * they agree on every trace block up to the one holding j (and so on every token up to the end of block j).
 * Only complete engine blocks are produced: a partial trailing block yields nothing, like the real engine.
 *
 * Invariant: engineBlockSize divides traceBlockSize.
 */

const SEED_LO = 0x2545f491;
const SEED_HI = 0x0b5ad4ec;
const TWO_POW_32 = 4294967296;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Number of complete engine blocks in a prompt of `inputTokens` tokens. */
export function completeEngineBlocks(inputTokens: number, engineBlockSize: number): number {
  return Math.floor(inputTokens / engineBlockSize);
}

/**
 * Writes the chained hashes of the complete engine blocks of one request into `out[outOffset ..]` and returns
 * how many were written: floor(min(inputTokens, traceBlocks·traceBlockSize) / engineBlockSize).
 * `hashIds[start .. end)` are the request's trace-block ids (exact non-negative integers < 2^53).
 */
export function expandEngineBlockHashes(
  hashIds: Float64Array,
  start: number,
  end: number,
  inputTokens: number,
  traceBlockSize: number,
  engineBlockSize: number,
  out: Float64Array,
  outOffset: number,
): number {
  const perTrace = (traceBlockSize / engineBlockSize) | 0;
  const coveredTokens = Math.min(inputTokens, (end - start) * traceBlockSize);
  const blocks = Math.floor(coveredTokens / engineBlockSize);
  let lo = SEED_LO;
  let hi = SEED_HI;
  for (let j = 0; j < blocks; j++) {
    const t = (j / perTrace) | 0;
    const sub = j - t * perTrace;
    const id = hashIds[start + t] as number;
    const idLo = id >>> 0;
    const idHi = Math.floor(id / TWO_POW_32) >>> 0;
    const a = fmix32(lo ^ Math.imul(idLo, 0xcc9e2d51) ^ Math.imul(sub + 1, 0x9e3779b9));
    const b = fmix32(hi ^ Math.imul(idHi, 0x1b873593) ^ a);
    lo = fmix32(a ^ Math.imul(b, 0x27d4eb2f) ^ idHi);
    hi = b;
    out[outOffset + j] = (hi & 0x1fffff) * TWO_POW_32 + lo;
  }
  return blocks;
}
