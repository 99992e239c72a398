/**
 * Engine-block hashing: expand a request's trace-block hash ids into chained 53-bit engine-block hashes.
 *
 *   trace blocks  | id0 (512 tok)            | id1 (512 tok)            | id2 (partial) |
 *   engine blocks | e0 | e1 | ... | e7       | e8 | ... | e15          | e16 | (tail)  |
 *                   h0 = mix(SEED, id0, 0), h1 = mix(h0, id0, 1), ..., h8 = mix(h7, id1, 0), ...
 *
 *   state (L, R): two int32 lanes, L0 = SEED_LO, R0 = SEED_HI. Per engine block, with k1 = imul(lo32(id), odd),
 *   idHi = the id's high 21 bits and subKey = imul(sub + 1, golden) (sub = block index inside its trace block):
 *       L ^= fmix32(R ^ k1);   R ^= fmix32(L ^ subKey) ^ idHi;   hash = (R & 0x1fffff) · 2^32 + (L >>> 0)
 *
 * Each hash is a non-negative integer below 2^53 held in a double, built with Math.imul (no BigInt). Because
 * hash j chains every block before it, two requests share engine block j iff they agree on every trace block up
 * to the one holding j (and so on every token up to the end of block j). The step is two Feistel rounds, so
 * (a) for a fixed id it permutes the 64-bit state: two different states extended by the same ids stay different;
 * (b) from a fixed state, the new L is a bijection of lo32(id) and then the low 21 bits of R carry idHi exactly,
 * so two requests that diverge at block j (same prefix, different id < 2^53) always get different hashes there.
 * Hashes of different prefixes can still meet only by a ≈ 2^−53 accident of the 53-bit projection.
 * The serial chain is two fmix32 per block (the lead's first version had three plus an imul).
 * Only complete engine blocks are produced: a partial trailing block yields nothing, like the real engine.
 *
 * Invariant: engineBlockSize divides traceBlockSize (a RangeError otherwise).
 */

const SEED_LO = 0x2545f491;
const SEED_HI = 0x0b5ad4ec;
const TWO_POW_32 = 4294967296;
const SUB_STEP = 0x9e3779b9 | 0;

/** MurmurHash3's fmix32. Works on the int32 bit pattern; callers turn it unsigned (>>> 0) only for output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
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
  if (perTrace < 1 || perTrace * engineBlockSize !== traceBlockSize) {
    throw new RangeError(
      `engine block size ${engineBlockSize} must divide trace block size ${traceBlockSize}`,
    );
  }
  const coveredTokens = Math.min(inputTokens, (end - start) * traceBlockSize);
  const blocks = Math.floor(coveredTokens / engineBlockSize);
  let l = SEED_LO;
  let r = SEED_HI;
  let o = outOffset;
  const outEnd = outOffset + blocks;
  // One trace block per outer step: its id's lanes are split and pre-multiplied once for all its engine blocks.
  for (let t = start; o < outEnd; t++) {
    const id = hashIds[t] as number;
    const idHi = Math.floor(id / TWO_POW_32) | 0;
    const k1 = Math.imul(id >>> 0, 0xcc9e2d51);
    const stop = Math.min(o + perTrace, outEnd);
    let subKey = 0; // Math.imul(sub + 1, 0x9e3779b9), built by repeated addition mod 2^32
    while (o < stop) {
      subKey = (subKey + SUB_STEP) | 0;
      l ^= fmix32(r ^ k1);
      r ^= fmix32(l ^ subKey) ^ idHi;
      out[o++] = (r & 0x1fffff) * TWO_POW_32 + (l >>> 0);
    }
  }
  return blocks;
}
