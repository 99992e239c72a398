import { inputErrorAt } from "../util/errors.js";
import type { TraceColumns } from "./columns.js";
import type { RangeResult } from "./jsonl-range.js";
import {
  type LineError,
  RULE_INDEX,
  SKIP_LINES_KEPT,
  type SkipSummary,
  TRACE_RULES,
  type TraceRule,
} from "./trace-rules.js";

/**
 * Joins the per-range results of a JSONL parse (one range for a single thread, N for --threads N) into
 * TraceColumns, in range order, then applies the rules that span lines, in file order:
 *   - timestamps must not go backwards (unless --sort, which then sorts stably by arrival);
 *   - a session's first turn (and a row without session_id, which is its own session) has no non-zero delay;
 *   - one session id is not written both as an integer and as a string (`1` and `"1"`): kvsim keeps ids as text
 *     (the .kvtrace's session_names, --requests-out's "session"), where the two would be one session, while a
 *     JSON reader that keys by value (the reference's) sees two — so the trace is refused rather than read one
 *     way silently (docs/traces.md#jsonl).
 * Everything here depends only on the concatenated rows, so the result is the same for any thread count.
 * In strict mode the error on the earliest line wins, whether it came from a range or from these rules.
 */

export interface AssembleOptions {
  /** How the file is named in messages (the path as the user gave it). */
  readonly displayName: string;
  readonly traceBlockSize: number;
  readonly sort: boolean;
  readonly lenient: boolean;
  readonly sourceChecksum: string;
}

export interface TraceReadResult {
  readonly columns: TraceColumns;
  /** What --lenient skipped; null in strict mode. */
  readonly skipped: SkipSummary | null;
}

interface MutableColumns {
  count: number;
  arrivalMs: Float64Array;
  inputTokens: Uint32Array;
  outputTokens: Uint32Array;
  hashOffsets: Uint32Array;
  hashIds: Float64Array;
  sessionIndex: Int32Array;
  sessionNames: string[];
  delayMs: Float64Array;
  sourceLine: Uint32Array;
}

/** Per global session: the session with the same text but the other JSON type (1 vs "1"), or -1. */
type SessionTwins = Int32Array;

export function assembleTrace(ranges: readonly RangeResult[], options: AssembleOptions): TraceReadResult {
  // Line numbers: range r's local line 1 is global line lineBase[r] + 1.
  const lineBase: number[] = [];
  let lines = 0;
  let errorRange = -1;
  for (let r = 0; r < ranges.length; r++) {
    lineBase.push(lines);
    const range = ranges[r] as RangeResult;
    lines += range.lineCount;
    if (range.error !== null) {
      errorRange = r;
      break;
    }
  }
  const used = errorRange >= 0 ? ranges.slice(0, errorRange + 1) : ranges;
  const { cols, twins } = concatenate(used, lineBase);
  const rangeError: LineError | null =
    errorRange >= 0 ? globalError(ranges[errorRange] as RangeResult, lineBase[errorRange] as number) : null;

  const skipCounts = new Uint32Array(TRACE_RULES.length);
  const skipLines: number[] = [];
  for (let r = 0; r < used.length; r++) {
    const range = used[r] as RangeResult;
    for (let k = 0; k < skipCounts.length; k++)
      skipCounts[k] = (skipCounts[k] as number) + (range.skipCounts[k] as number);
    for (const line of range.skipFirstLines) skipLines.push(line + (lineBase[r] as number));
  }

  const keep = crossLineRules(cols, twins, options, rangeError, skipCounts, skipLines);
  if (rangeError !== null) throw lineErrorToInput(options.displayName, rangeError);
  if (keep !== null) compact(cols, keep);

  const nonBlank = used.reduce((sum, r) => sum + r.nonBlankLines, 0);
  if (cols.count === 0) {
    const why =
      nonBlank === 0
        ? "no requests (the trace is empty)"
        : `no valid requests (all ${nonBlank} lines were skipped)`;
    throw inputErrorAt(options.displayName, null, null, why);
  }
  if (options.sort) sortByArrival(cols);
  renumberSessions(cols);

  let skipped: SkipSummary | null = null;
  if (options.lenient) {
    const total = skipCounts.reduce((a, b) => a + b, 0);
    const byRule: { rule: TraceRule; count: number }[] = [];
    TRACE_RULES.forEach((rule, i) => {
      const count = skipCounts[i] as number;
      if (count > 0) byRule.push({ rule, count });
    });
    skipLines.sort((a, b) => a - b);
    skipped = {
      linesRead: nonBlank,
      skipped: total,
      byRule,
      firstLines: skipLines.slice(0, SKIP_LINES_KEPT),
    };
  }
  const columns: TraceColumns = {
    ...cols,
    traceBlockSize: options.traceBlockSize,
    sourceChecksum: options.sourceChecksum,
  };
  return { columns, skipped };
}

function globalError(range: RangeResult, base: number): LineError {
  const e = range.error as LineError;
  return { ...e, line: e.line + base };
}

export function lineErrorToInput(displayName: string, e: LineError) {
  return inputErrorAt(displayName, e.line, e.field, e.text);
}

function concatenate(
  ranges: readonly RangeResult[],
  lineBase: readonly number[],
): { cols: MutableColumns; twins: SessionTwins } {
  let n = 0;
  let h = 0;
  for (const r of ranges) {
    n += r.rows;
    h += r.hashCount;
  }
  if (h > 0xffff_ffff) throw new RangeError("the trace holds more than 2^32 - 1 hash ids");
  const single = ranges.length === 1 ? (ranges[0] as RangeResult) : null;
  const cols: MutableColumns = {
    count: n,
    arrivalMs: single ? single.arrivalMs : new Float64Array(n),
    inputTokens: single ? single.inputTokens : new Uint32Array(n),
    outputTokens: single ? single.outputTokens : new Uint32Array(n),
    hashOffsets: new Uint32Array(n + 1),
    // One range whose ids sit in one chunk (the usual single-thread case): use it as is, no copy.
    hashIds:
      single !== null && single.hashChunks.length === 1
        ? (single.hashChunks[0] as Float64Array)
        : new Float64Array(h),
    sessionIndex: single ? single.sessionIndex : new Int32Array(n),
    sessionNames: [],
    delayMs: single ? single.delayMs : new Float64Array(n),
    sourceLine: single ? single.sourceLine : new Uint32Array(n),
  };
  // Sessions are keyed by id type and text (range-builder.ts); `twin` links "1" and 1 for the check below.
  const stringSessions = new Map<string, number>();
  const integerSessions = new Map<string, number>();
  const twin: number[] = [];
  let row = 0;
  let hash = 0;
  for (let r = 0; r < ranges.length; r++) {
    const range = ranges[r] as RangeResult;
    const base = lineBase[r] as number;
    if (single === null) {
      cols.arrivalMs.set(range.arrivalMs, row);
      cols.inputTokens.set(range.inputTokens, row);
      cols.outputTokens.set(range.outputTokens, row);
      cols.delayMs.set(range.delayMs, row);
    }
    // Local session indices → global first-appearance indices (ranges are in file order).
    const remap = new Int32Array(range.sessionNames.length);
    range.sessionNames.forEach((name, i) => {
      const integer = range.sessionIsInteger[i] === 1;
      const lookup = integer ? integerSessions : stringSessions;
      let id = lookup.get(name);
      if (id === undefined) {
        id = cols.sessionNames.length;
        cols.sessionNames.push(name);
        lookup.set(name, id);
        const other = (integer ? stringSessions : integerSessions).get(name);
        twin.push(other ?? -1);
        if (other !== undefined) twin[other] = id;
      }
      remap[i] = id;
    });
    for (let i = 0; i < range.rows; i++) {
      const s = range.sessionIndex[i] as number;
      cols.sessionIndex[row + i] = s < 0 ? -1 : (remap[s] as number);
      cols.sourceLine[row + i] = (range.sourceLine[i] as number) + base;
      cols.hashOffsets[row + i + 1] = hash + (range.hashEnd[i] as number);
    }
    for (const chunk of range.hashChunks) {
      if (chunk !== cols.hashIds) cols.hashIds.set(chunk, hash);
      hash += chunk.length;
    }
    row += range.rows;
  }
  return { cols, twins: Int32Array.from(twin) };
}

/**
 * Backwards timestamps and first-turn delays, row by row in file order, on rows before `stopAt` (the first
 * line a range rejected). Strict: throws the first violation. Lenient: returns the rows to keep (null = all),
 * counting the skipped ones.
 */
function crossLineRules(
  cols: MutableColumns,
  twins: SessionTwins,
  options: AssembleOptions,
  stopAt: LineError | null,
  skipCounts: Uint32Array,
  skipLines: number[],
): Uint8Array | null {
  const n = cols.count;
  const keep = options.lenient ? new Uint8Array(n).fill(1) : null;
  const sessionSeen = new Uint8Array(cols.sessionNames.length);
  /** Line of each session's first kept row (for the mixed-id message). */
  const sessionLine = new Uint32Array(cols.sessionNames.length);
  let lastMs = Number.NEGATIVE_INFINITY;
  let lastLine = 0;
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const line = cols.sourceLine[i] as number;
    if (stopAt !== null && line >= stopAt.line) break;
    const t = cols.arrivalMs[i] as number;
    let broken: LineError | null = null;
    if (!options.sort && t < lastMs) {
      broken = {
        line,
        rule: "backwards",
        field: "timestamp",
        text: `goes backwards (${t} < ${lastMs} on line ${lastLine}); pass --sort to sort by arrival`,
      };
    } else {
      const s = cols.sessionIndex[i] as number;
      const first = s < 0 || sessionSeen[s] === 0;
      const delay = cols.delayMs[i] as number;
      const other = s < 0 ? -1 : (twins[s] as number);
      if (first && other >= 0 && sessionSeen[other] === 1) {
        broken = mixedSessionId(line, cols.sessionNames[s] as string, sessionLine[other] as number);
      } else if (first && !Number.isNaN(delay) && delay !== 0) {
        const whose =
          s < 0
            ? "a row without session_id (its own session)"
            : `session ${JSON.stringify(cols.sessionNames[s])}`;
        broken = {
          line,
          rule: "first-turn-delay",
          field: "delay",
          text: `must be absent or 0 on the first turn of ${whose} (got ${delay})`,
        };
      }
    }
    if (broken === null) {
      const s = cols.sessionIndex[i] as number;
      if (s >= 0 && sessionSeen[s] === 0) {
        sessionSeen[s] = 1;
        sessionLine[s] = line;
      }
      lastMs = t;
      lastLine = line;
      continue;
    }
    if (keep === null) throw lineErrorToInput(options.displayName, broken);
    keep[i] = 0;
    dropped++;
    const k = RULE_INDEX[broken.rule];
    skipCounts[k] = (skipCounts[k] as number) + 1;
    skipLines.push(line);
  }
  return keep !== null && dropped > 0 ? keep : null;
}

/** `1` and `"1"` in one trace: which was first, and how to fix it. */
function mixedSessionId(line: number, name: string, firstLine: number): LineError {
  return {
    line,
    rule: "mixed-session-id",
    field: "session_id",
    text:
      `names the session that line ${firstLine} names with the same id of the other JSON type ` +
      `(${name} and ${JSON.stringify(name)}); write each session id one way, as a string or as an integer`,
  };
}

function compact(cols: MutableColumns, keep: Uint8Array): void {
  const n = cols.count;
  let m = 0;
  let h = 0;
  for (let i = 0; i < n; i++) if (keep[i] === 1) m++;
  const out: MutableColumns = {
    count: m,
    arrivalMs: new Float64Array(m),
    inputTokens: new Uint32Array(m),
    outputTokens: new Uint32Array(m),
    hashOffsets: new Uint32Array(m + 1),
    hashIds: new Float64Array(0),
    sessionIndex: new Int32Array(m),
    sessionNames: cols.sessionNames,
    delayMs: new Float64Array(m),
    sourceLine: new Uint32Array(m),
  };
  let total = 0;
  for (let i = 0; i < n; i++)
    if (keep[i] === 1) total += (cols.hashOffsets[i + 1] as number) - (cols.hashOffsets[i] as number);
  out.hashIds = new Float64Array(total);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] !== 1) continue;
    const from = cols.hashOffsets[i] as number;
    const to = cols.hashOffsets[i + 1] as number;
    out.hashIds.set(cols.hashIds.subarray(from, to), h);
    h += to - from;
    out.hashOffsets[j + 1] = h;
    copyRow(cols, i, out, j);
    j++;
  }
  Object.assign(cols, out);
}

function copyRow(from: MutableColumns, i: number, to: MutableColumns, j: number): void {
  to.arrivalMs[j] = from.arrivalMs[i] as number;
  to.inputTokens[j] = from.inputTokens[i] as number;
  to.outputTokens[j] = from.outputTokens[i] as number;
  to.sessionIndex[j] = from.sessionIndex[i] as number;
  to.delayMs[j] = from.delayMs[i] as number;
  to.sourceLine[j] = from.sourceLine[i] as number;
}

/** Stable sort by arrival (ties keep file order); a no-op when already in order. */
function sortByArrival(cols: MutableColumns): void {
  const n = cols.count;
  const t = cols.arrivalMs;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if ((t[i] as number) < (t[i - 1] as number)) sorted = false;
  if (sorted) return;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
  const out: MutableColumns = {
    count: n,
    arrivalMs: new Float64Array(n),
    inputTokens: new Uint32Array(n),
    outputTokens: new Uint32Array(n),
    hashOffsets: new Uint32Array(n + 1),
    hashIds: new Float64Array(cols.hashIds.length),
    sessionIndex: new Int32Array(n),
    sessionNames: cols.sessionNames,
    delayMs: new Float64Array(n),
    sourceLine: new Uint32Array(n),
  };
  let h = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    const from = cols.hashOffsets[i] as number;
    const to = cols.hashOffsets[i + 1] as number;
    out.hashIds.set(cols.hashIds.subarray(from, to), h);
    h += to - from;
    out.hashOffsets[j + 1] = h;
    copyRow(cols, i, out, j);
  }
  Object.assign(cols, out);
}

/** Session indices in order of first appearance among the final rows; names no kept row uses are dropped. */
function renumberSessions(cols: MutableColumns): void {
  const remap = new Int32Array(cols.sessionNames.length).fill(-1);
  const names: string[] = [];
  let identity = true;
  for (let i = 0; i < cols.count; i++) {
    const s = cols.sessionIndex[i] as number;
    if (s < 0) continue;
    let id = remap[s] as number;
    if (id < 0) {
      id = names.length;
      remap[s] = id;
      names.push(cols.sessionNames[s] as string);
      if (id !== s) identity = false;
    }
    cols.sessionIndex[i] = id;
  }
  if (!identity || names.length !== cols.sessionNames.length) cols.sessionNames = names;
}
