import { readSync } from "node:fs";
import { JsonlLineParser } from "./jsonl-line-parser.js";
import { type RangeColumns, RangeColumnsBuilder } from "./range-builder.js";
import type { SequentialReader } from "./sequential-reader.js";
import { type LineError, RULE_INDEX, SKIP_LINES_KEPT, TRACE_RULES } from "./trace-rules.js";

/**
 * Streams the lines of one byte range of a JSONL trace through the line parser. The range is read with
 * readSync into one reusable buffer (grown only for a line longer than it), so memory is the parsed columns
 * plus one buffer, whatever the file size. A range other than the last ends right after a newline (the
 * parallel splitter guarantees it), so line numbers are local: 1 = the range's first line.
 *
 * Strict mode stops at the first bad line (`error`); lenient mode skips bad lines and counts them per rule.
 */

export interface RangeParseOptions {
  readonly traceBlockSize: number;
  readonly lenient: boolean;
  /** Read size in bytes (tests use tiny values to put lines across reads). */
  readonly chunkBytes?: number;
}

/** The outcome of one range: its rows and how its lines went. Plain data (typed arrays), so it can cross threads. */
export interface RangeResult extends RangeColumns {
  /** Lines in the range (newlines, plus a final unterminated line). */
  readonly lineCount: number;
  /** Non-blank lines (rows plus skipped lines). */
  readonly nonBlankLines: number;
  /** Lenient mode: skipped lines per rule (indexed like TRACE_RULES). */
  readonly skipCounts: Uint32Array;
  /** Lenient mode: the first skipped line numbers (local, ascending, at most SKIP_LINES_KEPT). */
  readonly skipFirstLines: number[];
  /** Strict mode: the first bad line (local line number), after which the range was not read further. */
  readonly error: LineError | null;
}

const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Where range bytes come from: an open file, a stream read front to back (a pipe), or bytes in memory. */
export type RangeSource =
  | { readonly kind: "fd"; readonly fd: number }
  | { readonly kind: "stream"; readonly reader: SequentialReader }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array };

/**
 * Longest line read (64 MiB): a Mooncake line is ~8 bytes per hash id, so this holds a prompt of millions of
 * blocks, while a file that is not JSONL (/dev/zero, a binary, one huge JSON array) stops here instead of growing
 * the line buffer until memory runs out.
 */
export const MAX_LINE_BYTES = 64 << 20;

/** Column capacity guess for a stream, whose length is unknown (the columns grow past it as needed). */
const STREAM_GUESS_BYTES = 64 << 20;

/** Called with each block of bytes as it is read (the single-thread reader hashes them on the way). */
export type BytesObserver = (bytes: Uint8Array) => void;

class RangeLines {
  readonly parser: JsonlLineParser;
  readonly builder: RangeColumnsBuilder;
  readonly lenient: boolean;
  readonly skipCounts: Uint32Array;
  readonly skipFirstLines: number[];
  line: number;
  nonBlank: number;
  error: LineError | null;

  constructor(options: RangeParseOptions, rangeBytes: number) {
    this.parser = new JsonlLineParser(options.traceBlockSize);
    // Mooncake lines run ~100–300 bytes and ~8 bytes per hash id: guess high so the columns never regrow
    // (untouched capacity is free) and the hash ids usually fit one chunk, which then needs no concatenation.
    this.builder = new RangeColumnsBuilder(rangeBytes / 64, rangeBytes / 4);
    this.lenient = options.lenient;
    this.skipCounts = new Uint32Array(TRACE_RULES.length);
    this.skipFirstLines = [];
    this.line = 0;
    this.nonBlank = 0;
    this.error = null;
  }

  /** Handles bytes[start..end) as the next line; false once strict mode has met a bad line. */
  take(bytes: Uint8Array, start: number, end: number): boolean {
    this.line++;
    let p = start;
    while (p < end) {
      const c = bytes[p] as number;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      p++;
    }
    if (p === end) return true; // blank lines are skipped (a trailing one is common)
    this.nonBlank++;
    if (this.parser.parseLine(bytes, p, end, this.line, this.builder)) return true;
    const error = this.parser.error as LineError;
    if (!this.lenient) {
      this.error = error;
      return false;
    }
    const k = RULE_INDEX[error.rule];
    this.skipCounts[k] = (this.skipCounts[k] as number) + 1;
    if (this.skipFirstLines.length < SKIP_LINES_KEPT) this.skipFirstLines.push(this.line);
    return true;
  }

  /** The next line is longer than MAX_LINE_BYTES: an error even with --lenient (the input is not JSONL). */
  lineTooLong(): RangeResult {
    this.line++;
    this.error = {
      line: this.line,
      rule: "too-large",
      field: null,
      text: `longer than ${MAX_LINE_BYTES >> 20} MiB without a newline: not a JSONL trace`,
    };
    return this.result();
  }

  /** Lines in bytes[from..to): every complete line, then the rest (returned as the new `from`). */
  takeComplete(bytes: Uint8Array, from: number, to: number): number {
    let ls = from;
    for (;;) {
      const nl = bytes.indexOf(0x0a, ls);
      if (nl < 0 || nl >= to) return ls;
      if (!this.take(bytes, ls, nl)) return -1;
      ls = nl + 1;
    }
  }

  result(): RangeResult {
    return {
      ...this.builder.finish(),
      lineCount: this.line,
      nonBlankLines: this.nonBlank,
      skipCounts: this.skipCounts,
      skipFirstLines: this.skipFirstLines,
      error: this.error,
    };
  }
}

/**
 * Parses bytes [start, end) of `source` (a stream: from where it is to its end; pass 0 and Infinity). For
 * start = 0 a UTF-8 byte-order mark is skipped.
 */
export function parseJsonlRange(
  source: RangeSource,
  start: number,
  end: number,
  options: RangeParseOptions,
  observe?: BytesObserver,
): RangeResult {
  const lines = new RangeLines(options, Number.isFinite(end) ? end - start : STREAM_GUESS_BYTES);
  if (source.kind === "bytes") {
    const view = source.bytes.subarray(start, end);
    observe?.(view);
    const from = start === 0 ? bomLength(view) : 0;
    const rest = lines.takeComplete(view, from, view.length);
    if (rest >= 0 && rest < view.length) lines.take(view, rest, view.length);
    return lines.result();
  }
  let buf = new Uint8Array(Math.max(16, options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
  let carry = 0; // bytes of an unfinished line kept at the front of buf
  let pos = start;
  let first = true;
  while (pos < end) {
    if (carry === buf.length) {
      if (carry >= MAX_LINE_BYTES) return lines.lineTooLong();
      const bigger = new Uint8Array(Math.min(buf.length * 2, MAX_LINE_BYTES + 1)); // a line longer than the buffer
      bigger.set(buf);
      buf = bigger;
    }
    const want = Math.min(buf.length - carry, end - pos);
    const got =
      source.kind === "stream"
        ? source.reader.read(buf, carry, want)
        : readSync(source.fd, buf, carry, want, pos);
    if (got === 0) break; // the file shrank under us: stop at what exists
    const view = buf.subarray(0, carry + got);
    observe?.(view.subarray(carry));
    pos += got;
    let from = 0;
    if (first) {
      first = false;
      if (start === 0) from = bomLength(view);
    }
    const rest = lines.takeComplete(view, from, view.length);
    if (rest < 0) return lines.result();
    carry = view.length - rest;
    buf.copyWithin(0, rest, view.length);
  }
  if (carry > 0) lines.take(buf, 0, carry);
  return lines.result();
}

function bomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}
