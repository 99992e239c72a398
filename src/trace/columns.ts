/**
 * A request trace as columns (structure of arrays): row i is request i in the order the simulator releases
 * them (file order, or stably sorted by arrival under `--sort`).
 *
 *   arrivalMs    Float64Array[n]    `timestamp`, ms since the trace's epoch (not yet normalised to 0)
 *   inputTokens  Uint32Array[n]     `input_length`
 *   outputTokens Uint32Array[n]     `output_length`
 *   hashOffsets  Uint32Array[n+1]   row i's trace-block hash ids are hashIds[hashOffsets[i] .. hashOffsets[i+1])
 *   hashIds      Float64Array[Σ]    `hash_ids`, exact non-negative integers < 2^53
 *   sessionIndex Int32Array[n]      index into sessionNames, or -1 for a row without `session_id`
 *   delayMs      Float64Array[n]    `delay` (ms after the previous turn completes), NaN when absent
 *   sourceLine   Uint32Array[n]     1-based line of the row in its source JSONL file
 *
 * Invariants: hashOffsets[0] = 0, non-decreasing, hashOffsets[n] = hashIds.length;
 * hashOffsets[i+1] − hashOffsets[i] = ceil(inputTokens[i] / traceBlockSize).
 */
export interface TraceColumns {
  readonly count: number;
  /** Tokens each trace hash id stands for (Mooncake: 512). */
  readonly traceBlockSize: number;
  readonly arrivalMs: Float64Array;
  readonly inputTokens: Uint32Array;
  readonly outputTokens: Uint32Array;
  readonly hashOffsets: Uint32Array;
  readonly hashIds: Float64Array;
  readonly sessionIndex: Int32Array;
  /** Distinct `session_id` values in first-appearance order, as strings (an integer id 7 becomes "7"). */
  readonly sessionNames: readonly string[];
  readonly delayMs: Float64Array;
  readonly sourceLine: Uint32Array;
  /** Hex digest of the source bytes (sha256 of the JSONL file), carried into compiled traces. */
  readonly sourceChecksum: string;
  /**
   * The epoch replay time 0 stands for, ms (trace mode). Absent: the earliest first-turn timestamp of these rows.
   * A cell's slice of a sharded trace carries its parent's epoch, so every cell keeps the whole trace's clock.
   */
  readonly arrivalOriginMs?: number;
}

export const DEFAULT_TRACE_BLOCK_SIZE = 512;
/** Tokens per hash id at most (docs/limits.md); Mooncake traces use 512, synthetic ones any divisor chain. */
export const MAX_TRACE_BLOCK_SIZE = 1 << 20;
