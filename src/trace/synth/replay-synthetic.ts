import { Prng } from "../../../native-free-kernels/prng.js";
import { InputError } from "../../util/errors.js";
import type { TraceColumns } from "../columns.js";
import { finalizeRows, RowBuffer } from "./row-buffer.js";

/**
 * The replay's built-in synthetic inputs (docs/design.md#synthetic-requests):
 * `--input-tokens/--output-tokens/--request-count` plus the optional workload knobs, turned into TraceColumns
 * without a file.
 *
 * (a) Simple (no workload knob set): request i arrives at i · arrivalIntervalMs with `inputTokens` tokens of
 *     its own (every block a fresh id, so nothing is shared) and `outputTokens` to generate.
 * (b) Workload (turnsPerSession > 1, sharedPrefixRatio > 0, numPrefixGroups > 0 or interTurnDelayMs > 0):
 *     requestCount sessions of turnsPerSession turns; session s starts at s · arrivalIntervalMs (all at 0 when
 *     the interval is 0, the replay's Burst); turn k ≥ 1 follows after interTurnDelayMs. When groups and a
 *     ratio are both set, each session draws its group uniformly from a Prng seeded 42 (the replay's fixed
 *     seed; the draws are not bit-identical to Rust's ChaCha12), and each turn's first
 *     min(round(blocks · ratio), blocks) blocks carry the group's ids for those positions; the rest are fresh.
 *
 * Deliberate difference from the reference: there, prefix ids lose their group bits when turned into tokens,
 * so every group ends up sharing one prefix; here distinct groups have distinct prefixes, as the knob intends.
 * Like the reference, a later turn is a new prompt of the same length (it does not extend the previous turn).
 * `blockSize` is the tokens per hash id — the reference uses the engine block size.
 */
export interface ReplaySyntheticOptions {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly requestCount: number;
  /** Default 1 ms. */
  readonly arrivalIntervalMs?: number;
  /** Default 1. */
  readonly turnsPerSession?: number;
  /** Default 0. */
  readonly sharedPrefixRatio?: number;
  /** Default 0. */
  readonly numPrefixGroups?: number;
  /** Default 0 ms. */
  readonly interTurnDelayMs?: number;
  readonly blockSize: number;
}

const REPLAY_SYNTHETIC_SEED = 42;

function check(ok: boolean, flag: string, rule: string, value: number): void {
  if (!ok) throw new InputError(`replay: ${flag}: ${rule}, got ${value}`);
}

export function isReplayWorkloadSynthetic(o: ReplaySyntheticOptions): boolean {
  return (
    (o.turnsPerSession ?? 1) > 1 ||
    (o.sharedPrefixRatio ?? 0) > 0 ||
    (o.numPrefixGroups ?? 0) > 0 ||
    (o.interTurnDelayMs ?? 0) > 0
  );
}

export function buildReplaySyntheticTrace(o: ReplaySyntheticOptions): TraceColumns {
  const intervalMs = o.arrivalIntervalMs ?? 1;
  const turns = o.turnsPerSession ?? 1;
  const ratio = o.sharedPrefixRatio ?? 0;
  const groups = o.numPrefixGroups ?? 0;
  const delayMs = o.interTurnDelayMs ?? 0;
  const isInt = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;
  check(
    isInt(o.inputTokens, 1) && o.inputTokens < 2 ** 31,
    "--input-tokens",
    "must be an integer >= 1",
    o.inputTokens,
  );
  check(
    isInt(o.outputTokens, 1) && o.outputTokens < 2 ** 31,
    "--output-tokens",
    "must be an integer >= 1",
    o.outputTokens,
  );
  check(isInt(o.requestCount, 1), "--request-count", "must be an integer >= 1", o.requestCount);
  check(
    Number.isFinite(intervalMs) && intervalMs >= 0,
    "--arrival-interval-ms",
    "must be a finite number >= 0",
    intervalMs,
  );
  check(isInt(turns, 1), "--turns-per-session", "must be an integer >= 1", turns);
  check(
    o.requestCount * turns <= 50_000_000,
    "--request-count",
    "times --turns-per-session must be <= 50000000",
    o.requestCount,
  );
  check(
    Number.isFinite(ratio) && ratio >= 0 && ratio <= 1,
    "--shared-prefix-ratio",
    "must be in [0, 1]",
    ratio,
  );
  check(isInt(groups, 0), "--num-prefix-groups", "must be an integer >= 0", groups);
  check(
    Number.isFinite(delayMs) && delayMs >= 0,
    "--inter-turn-delay-ms",
    "must be a finite number >= 0",
    delayMs,
  );
  check(isInt(o.blockSize, 1), "--block-size", "must be an integer >= 1", o.blockSize);

  const blocks = Math.ceil(o.inputTokens / o.blockSize);
  const rows = new RowBuffer(Math.min(o.requestCount * turns, 1 << 16));
  if (!isReplayWorkloadSynthetic(o)) {
    for (let i = 0; i < o.requestCount; i++) {
      const start = rows.reserveHashes(blocks);
      for (let b = 0; b < blocks; b++) rows.hashIds[start + b] = i * blocks + b;
      rows.pushRow(i * intervalMs, o.inputTokens, o.outputTokens, -1, Number.NaN, blocks);
    }
    return finalizeRows(rows, o.requestCount * blocks, o.blockSize);
  }

  const rng = new Prng(REPLAY_SYNTHETIC_SEED);
  const grouped = groups > 0 && ratio > 0;
  const prefixBlocks = grouped ? Math.min(Math.round(blocks * ratio), blocks) : 0;
  // Provisional ids: group g's block i is g·prefixBlocks + i; fresh ids follow.
  let nextFreshId = groups * prefixBlocks;
  for (let s = 0; s < o.requestCount; s++) {
    const group = grouped ? rng.nextBelow(groups) : -1;
    const sessionTag = turns > 1 ? s : -1;
    for (let k = 0; k < turns; k++) {
      const start = rows.reserveHashes(blocks);
      for (let b = 0; b < blocks; b++) {
        rows.hashIds[start + b] = b < prefixBlocks ? group * prefixBlocks + b : nextFreshId++;
      }
      const arrivalMs = s * intervalMs + k * delayMs;
      rows.pushRow(
        arrivalMs,
        o.inputTokens,
        o.outputTokens,
        sessionTag,
        k === 0 ? Number.NaN : delayMs,
        blocks,
      );
    }
  }
  return finalizeRows(rows, nextFreshId, o.blockSize);
}
