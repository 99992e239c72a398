/**
 * The validation rules a trace line can break. Each rule has a short stable id: `--lenient` counts skipped
 * lines per id, and tests match on it. The human message (field, bound, the value seen) is built where the
 * rule is checked; the id only classifies it.
 */
export const TRACE_RULES = [
  "not-json", // the line is not one valid JSON object
  "missing-field", // a required field is absent
  "duplicate-field", // a known field appears twice in one object
  "wrong-type", // e.g. a string where a number belongs
  "negative", // a number below 0
  "zero", // input_length / output_length of 0
  "fractional", // a non-integer where an integer belongs
  "too-large", // beyond 2^53 (or 2^32 for token counts), or not finite
  "hash-count", // len(hash_ids) != ceil(input_length / trace_block_size)
  "backwards", // timestamp below the previous line's (without --sort)
  "first-turn-delay", // a non-zero delay on a session's first turn
  "mixed-session-id", // one session id written both as an integer and as a string (1 and "1")
] as const;

export type TraceRule = (typeof TRACE_RULES)[number];

/** Index of each rule in count arrays (`Uint32Array(TRACE_RULES.length)`). */
export const RULE_INDEX: Readonly<Record<TraceRule, number>> = Object.fromEntries(
  TRACE_RULES.map((rule, i) => [rule, i]),
) as Record<TraceRule, number>;

/** One broken rule on one line; `line` is 1-based (local to a byte range until assembled). */
export interface LineError {
  readonly line: number;
  readonly rule: TraceRule;
  /** The JSON key as written in the file, or null when the problem is not one field's (e.g. not JSON). */
  readonly field: string | null;
  readonly text: string;
}

/** What `--lenient` left out. */
export interface SkipSummary {
  /** Non-blank lines read (kept + skipped). */
  readonly linesRead: number;
  readonly skipped: number;
  /** Skipped lines per rule, only rules with at least one line, in TRACE_RULES order. */
  readonly byRule: readonly { readonly rule: TraceRule; readonly count: number }[];
  /** The first few skipped line numbers (1-based, ascending). */
  readonly firstLines: readonly number[];
}

/** How many skipped line numbers a summary keeps. */
export const SKIP_LINES_KEPT = 5;

/** One-line human summary, e.g. `skipped 3 of 120 lines: 2 hash-count, 1 not-json (lines 4, 9, 17)`. */
export function formatSkipSummary(s: SkipSummary): string {
  if (s.skipped === 0) return `skipped 0 of ${s.linesRead} lines`;
  const rules = s.byRule.map((r) => `${r.count} ${r.rule}`).join(", ");
  const more = s.skipped > s.firstLines.length ? ", …" : "";
  const which = s.firstLines.length === 1 ? "line" : "lines";
  return `skipped ${s.skipped} of ${s.linesRead} lines: ${rules} (${which} ${s.firstLines.join(", ")}${more})`;
}

/** Shortens a value quoted in an error message so one bad line cannot flood the terminal. */
export function quoteForMessage(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}
