import type { TraceColumns } from "./columns.js";

/**
 * The rules a JSONL trace's rows obey (src/trace/jsonl-line-parser.ts, assemble.ts), checked on columns that
 * did not come from the JSONL reader — a compiled .kvtrace — so a file whose bytes are intact but whose values
 * are not (a buggy writer, a crafted file) is refused like a bad JSONL line instead of feeding NaN, zero-length
 * requests or a 1e291 s span to the simulator:
 *   timestamp    finite, >= 0, < 2^53 ms, never below the previous row's
 *   lengths      input_length, output_length >= 1
 *   hash_ids     ceil(input_length / trace_block_size) per row, each an integer in [0, 2^53)
 *   session_id   index -1 (none) or in range, in first-appearance order, every name used once
 *   delay        absent (NaN) or finite, >= 0, < 2^53 ms; absent or 0 on a session's first turn
 *   source line  >= 1
 */

const TWO_POW_53 = 2 ** 53;

/** The first broken rule: `row` is 0-based (messages print row + 1); field as in the JSONL format. */
export interface ColumnFault {
  readonly row: number | null;
  readonly field: string;
  readonly text: string;
}

function isMillis(v: number): boolean {
  return v >= 0 && v < TWO_POW_53; // false for NaN
}

/** Checks every row; null when the columns are a valid trace. */
export function checkTraceColumns(t: TraceColumns): ColumnFault | null {
  const n = t.count;
  const fault = (row: number | null, field: string, text: string): ColumnFault => ({ row, field, text });
  if (n < 1) return fault(null, "count", "the trace has no requests");
  for (const [field, column] of [
    ["arrival_ms", t.arrivalMs],
    ["input_tokens", t.inputTokens],
    ["output_tokens", t.outputTokens],
    ["session_index", t.sessionIndex],
    ["delay_ms", t.delayMs],
    ["source_line", t.sourceLine],
  ] as const) {
    if (column.length !== n) return fault(null, field, `has ${column.length} entries for ${n} requests`);
  }
  if (!(t.traceBlockSize >= 1))
    return fault(null, "trace_block_size", `must be >= 1 (got ${t.traceBlockSize})`);
  if (t.hashOffsets.length !== n + 1)
    return fault(
      null,
      "hash_offsets",
      `has ${t.hashOffsets.length} entries for ${n} requests (needs ${n + 1})`,
    );
  if (t.hashOffsets[0] !== 0) return fault(0, "hash_offsets", `must start at 0 (got ${t.hashOffsets[0]})`);
  const names = t.sessionNames;
  if (new Set(names).size !== names.length) return fault(null, "session_names", "holds a name twice");
  const sessionSeen = new Uint8Array(names.length);
  // Locals, not property loads on `t` per row: column objects come in several shapes (monomorphic loop).
  const { arrivalMs, inputTokens, outputTokens, hashOffsets, sessionIndex, delayMs, sourceLine } = t;
  const blockSize = t.traceBlockSize;
  const hashCount = t.hashIds.length;
  let nextSession = 0;
  let lastMs = 0;
  for (let i = 0; i < n; i++) {
    const ts = arrivalMs[i] as number;
    if (!isMillis(ts)) return fault(i, "timestamp", `must be a number >= 0 and below 2^53 ms (got ${ts})`);
    if (ts < lastMs) return fault(i, "timestamp", `goes backwards (${ts} < ${lastMs} on the row before)`);
    lastMs = ts;
    const input = inputTokens[i] as number;
    if (input < 1) return fault(i, "input_length", `must be an integer >= 1 (got ${input})`);
    const output = outputTokens[i] as number;
    if (output < 1) return fault(i, "output_length", `must be an integer >= 1 (got ${output})`);
    const from = hashOffsets[i] as number;
    const to = hashOffsets[i + 1] as number;
    const blocks = Math.ceil(input / blockSize);
    if (to - from !== blocks)
      return fault(
        i,
        "hash_ids",
        `must hold ceil(input_length / ${blockSize}) = ${blocks} ids (got ${to - from})`,
      );
    if (to > hashCount) return fault(i, "hash_offsets", `points past the ${hashCount} hash ids (to ${to})`);
    const s = sessionIndex[i] as number;
    if (s < -1 || s >= names.length)
      return fault(i, "session_id", `index ${s} is outside the ${names.length} session names`);
    if (s > nextSession)
      return fault(
        i,
        "session_id",
        `index ${s} appears before index ${nextSession} (not first-appearance order)`,
      );
    if (s === nextSession) nextSession++;
    const first = s < 0 || sessionSeen[s] === 0;
    if (s >= 0) sessionSeen[s] = 1;
    const delay = delayMs[i] as number;
    if (!Number.isNaN(delay) && !isMillis(delay))
      return fault(i, "delay", `must be absent or a number >= 0 and below 2^53 ms (got ${delay})`);
    if (first && !Number.isNaN(delay) && delay !== 0)
      return fault(i, "delay", `must be absent or 0 on a session's first turn (got ${delay})`);
    if ((sourceLine[i] as number) < 1) return fault(i, "source_line", "must be >= 1 (got 0)");
  }
  if (t.hashOffsets[n] !== t.hashIds.length)
    return fault(
      null,
      "hash_offsets",
      `ends at ${t.hashOffsets[n]}, not at the ${t.hashIds.length} hash ids`,
    );
  const bad = firstBadHashId(t.hashIds);
  if (bad >= 0) {
    const row = rowOfHash(t.hashOffsets, bad);
    const id = t.hashIds[bad] as number;
    const k = bad - (t.hashOffsets[row] as number);
    return fault(row, "hash_ids", `[${k}] must be an integer >= 0 and below 2^53 (got ${id})`);
  }
  if (nextSession !== names.length)
    return fault(null, "session_names", `${names.length - nextSession} name(s) no row uses`);
  return null;
}

/** Index of the first id that is not an integer in [0, 2^53), or -1. One tight pass: ids outnumber rows ~25×. */
function firstBadHashId(ids: Float64Array): number {
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as number;
    if (!(id >= 0 && id < TWO_POW_53 && Math.floor(id) === id)) return k;
  }
  return -1;
}

/** The row whose ids include index `k` (offsets are non-decreasing once the row checks have passed). */
function rowOfHash(offsets: Uint32Array, k: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((offsets[mid] as number) <= k) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
