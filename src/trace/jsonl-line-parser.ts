import {
  asciiSlice,
  BACKSLASH,
  COLON,
  COMMA,
  CR,
  DIGIT_0,
  DIGIT_9,
  DOT,
  JsonCursor,
  LBRACE,
  LBRACKET,
  LF,
  QUOTE,
  RBRACE,
  RBRACKET,
  SPACE,
  TAB,
} from "./json-cursor.js";
import { RangeColumnsBuilder } from "./range-builder.js";
import { type LineError, quoteForMessage, type TraceRule } from "./trace-rules.js";

/**
 * Parses one Mooncake JSONL line straight from bytes into a RangeColumnsBuilder, validating as it goes.
 *
 * Fast path, specialised to the schema: keys matched on their raw bytes, `": "` and `, ` stepped over
 * directly, plain integers read digit by digit, hash ids written straight into the builder's hash chunk
 * (kept only when the whole row is valid). Anything unusual but valid (escaped keys, fractions/exponents, unknown keys with any
 * value, odd whitespace, any key order) drops to JsonCursor's general code for that token only, so the line
 * is still judged exactly as a JSON parser would, and numbers are judged on their literal digits (never
 * rounded: 9007199254740993 is rejected, 1e3 is the integer 1000).
 *
 * Per-line state lives in fields reset at the start of each line; nothing is allocated for a valid line
 * except session-name strings. A failed line leaves `error` set and the builder's committed rows untouched.
 */

const FIELD = {
  timestamp: 0,
  created_time: 1,
  input_length: 2,
  input_tokens: 3,
  output_length: 4,
  output_tokens: 5,
  hash_ids: 6,
  session_id: 7,
  delay: 8,
  delay_ms: 9,
} as const;
type FieldId = (typeof FIELD)[keyof typeof FIELD];
const FIELD_NAMES = Object.keys(FIELD) as readonly (keyof typeof FIELD)[];
const FIELD_KEYS: readonly Uint8Array[] = FIELD_NAMES.map((name) => new TextEncoder().encode(name));
const UNKNOWN = -1;

function isWs(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF;
}

const TWO_POW_53 = 2 ** 53;
const TWO_POW_32 = 2 ** 32;

export class JsonlLineParser {
  readonly traceBlockSize: number;
  error: LineError | null;
  private readonly cursor: JsonCursor;
  private readonly numbers: Float64Array;
  private seen: number;
  private out: RangeColumnsBuilder;
  private hashLen: number;
  private sessionName: string | null;
  /** The session id was a JSON integer (its text is sessionName). */
  private sessionIsInteger: boolean;
  private line: number;

  constructor(traceBlockSize: number) {
    this.traceBlockSize = traceBlockSize;
    this.error = null;
    this.cursor = new JsonCursor();
    this.numbers = new Float64Array(FIELD_NAMES.length);
    this.seen = 0;
    this.out = new RangeColumnsBuilder(0, 0); // a placeholder until parseLine hands over the real one
    this.hashLen = 0;
    this.sessionName = null;
    this.sessionIsInteger = false;
    this.line = 0;
  }

  /** Parses bytes[start..end) (one line, no newline) as row `line`; false with `error` set if invalid. */
  parseLine(bytes: Uint8Array, start: number, end: number, line: number, out: RangeColumnsBuilder): boolean {
    const c = this.cursor;
    c.reset(bytes, start, end);
    this.out = out;
    this.error = null;
    this.line = line;
    this.seen = 0;
    this.hashLen = 0;
    this.sessionName = null;
    this.sessionIsInteger = false;
    c.skipWs();
    if (c.peek() !== LBRACE) {
      if (c.atValueStart())
        return this.fail("not-json", null, `must be a JSON object (got ${c.describeValueAt()})`);
      return this.syntax(null, c.unexpected(c.pos, '"{"'));
    }
    c.pos++;
    c.skipWs();
    if (c.peek() === RBRACE) {
      c.pos++;
    } else {
      for (;;) {
        if (c.peek() !== QUOTE) return this.syntax(null, c.unexpected(c.pos, "a quoted key"));
        const keyStart = c.pos;
        let q = keyStart + 1;
        let ch = 0;
        while (q < end) {
          ch = bytes[q] as number;
          if (ch === QUOTE || ch === BACKSLASH || ch < 0x20) break;
          q++;
        }
        let field: number | null;
        if (q < end && ch === QUOTE) {
          field = this.matchKey(keyStart + 1, q); // the usual key: plain ASCII, no escapes
          c.pos = q + 1;
        } else {
          if (!c.scanString()) return this.syntax(null, false);
          field = this.fieldOfEscapedKey(keyStart, c.pos);
          if (field === null) return this.syntax(null, false);
        }
        if (bytes[c.pos] === COLON && c.pos < end) {
          c.pos++; // the usual `": "`
          if (bytes[c.pos] === SPACE && c.pos < end) c.pos++;
        } else {
          c.skipWs();
          if (c.peek() !== COLON) return this.syntax(null, c.unexpected(c.pos, '":"'));
          c.pos++;
        }
        c.skipWs();
        if (field === UNKNOWN) {
          // Unknown keys are accepted and ignored (traces in the wild carry extras), but must be valid JSON.
          if (!c.skipValue(0)) return this.syntax(null, false);
        } else {
          const bit = 1 << field;
          if ((this.seen & bit) !== 0)
            return this.fail("duplicate-field", FIELD_NAMES[field] as string, "appears twice");
          this.seen |= bit;
          if (!this.parseField(field)) return false;
        }
        if (bytes[c.pos] === COMMA && c.pos < end) {
          c.pos++; // the usual `, "`
          if (bytes[c.pos] === SPACE && c.pos < end) c.pos++;
          if (bytes[c.pos] === QUOTE && c.pos < end) continue;
          c.skipWs();
          continue;
        }
        c.skipWs();
        const sep = c.peek();
        if (sep === COMMA) {
          c.pos++;
          c.skipWs();
        } else if (sep === RBRACE) {
          c.pos++;
          break;
        } else {
          return this.syntax(null, c.unexpected(c.pos, '"," or "}"'));
        }
      }
    }
    c.skipWs();
    if (c.pos < c.end) return this.syntax(null, c.unexpected(c.pos, "the end of the line after the object"));
    return this.commitRow(out);
  }

  /** Field id of the key bytes[from..to): picked by length and first byte, then confirmed byte by byte. */
  private matchKey(from: number, to: number): number {
    const b = this.cursor.bytes;
    const len = to - from;
    const first = b[from];
    let f: number = UNKNOWN;
    switch (len) {
      case 5:
        f = FIELD.delay;
        break;
      case 8:
        f = first === 0x68 /* h */ ? FIELD.hash_ids : FIELD.delay_ms;
        break;
      case 9:
        f = FIELD.timestamp;
        break;
      case 10:
        f = FIELD.session_id;
        break;
      case 12:
        f =
          first === 0x63 /* c */
            ? FIELD.created_time
            : b[from + 6] === 0x6c /* l */
              ? FIELD.input_length
              : FIELD.input_tokens;
        break;
      case 13:
        f = b[from + 7] === 0x6c /* l */ ? FIELD.output_length : FIELD.output_tokens;
        break;
      default:
        return UNKNOWN;
    }
    const key = FIELD_KEYS[f] as Uint8Array;
    for (let k = 0; k < len; k++) if (b[from + k] !== key[k]) return UNKNOWN;
    return f;
  }

  /** Field id of a key written with escapes (e.g. "hash\u005fids"); null if the key is not valid UTF-8. */
  private fieldOfEscapedKey(from: number, to: number): number | null {
    const text = this.cursor.decodeString(from, to, true);
    if (text === null) return null;
    const id = (FIELD as Record<string, number>)[text];
    return Object.hasOwn(FIELD, text) && id !== undefined ? id : UNKNOWN;
  }

  private parseField(field: number): boolean {
    const f = field as FieldId;
    switch (f) {
      case FIELD.timestamp:
      case FIELD.created_time:
        return this.parseMillis(f, false);
      case FIELD.delay:
      case FIELD.delay_ms:
        return this.parseMillis(f, true);
      case FIELD.input_length:
      case FIELD.input_tokens:
      case FIELD.output_length:
      case FIELD.output_tokens:
        return this.parseTokenCount(f);
      case FIELD.hash_ids:
        return this.parseHashIds();
      case FIELD.session_id:
        return this.parseSessionId();
    }
  }

  /** A time in ms: finite, >= 0, below 2^53; fractions allowed. Optional fields may be null (= absent). */
  private parseMillis(f: FieldId, optional: boolean): boolean {
    const c = this.cursor;
    const name = FIELD_NAMES[f] as string;
    const rule = "must be a number >= 0 (ms)";
    if (this.plainInteger(f)) return true;
    if (optional && c.peek() === 0x6e && c.atValueStart()) {
      this.numbers[f] = Number.NaN; // null = absent
      return c.literal("null");
    }
    if (!this.number(name, rule)) return false;
    const v = c.numValue;
    if (!(v < TWO_POW_53))
      return this.fail("too-large", name, `must be below 2^53 ms (got ${this.literal()})`);
    if (v < 0) return this.fail("negative", name, `${rule} (got ${this.literal()})`);
    this.numbers[f] = v;
    return true;
  }

  /** A token count: an integer in [1, 2^32). */
  private parseTokenCount(f: FieldId): boolean {
    const c = this.cursor;
    if (this.plainInteger(f)) return true;
    const name = FIELD_NAMES[f] as string;
    const rule = "must be an integer >= 1";
    if (!this.number(name, rule)) return false;
    const v = c.numValue;
    if (!(v < TWO_POW_32))
      return this.fail("too-large", name, `must be an integer below 2^32 (got ${this.literal()})`);
    if (v < 0) return this.fail("negative", name, `${rule} (got ${this.literal()})`);
    if (!c.numInteger) return this.fail("fractional", name, `${rule} (got ${this.literal()})`);
    if (v === 0) return this.fail("zero", name, `${rule} (got ${this.literal()})`);
    this.numbers[f] = v;
    return true;
  }

  /**
   * Hot path for a scalar field: a plain integer in [1, 2^32) ending inside the line (no fraction, no
   * exponent) is stored directly; anything else returns false with nothing consumed, for the general path.
   */
  private plainInteger(f: FieldId): boolean {
    const c = this.cursor;
    const b = c.bytes;
    let p = c.pos;
    let d = (b[p] as number) - DIGIT_0;
    if (!(d > 0 && d <= 9)) return false;
    let v = d;
    p++;
    for (;;) {
      d = (b[p] as number) - DIGIT_0;
      if (!(d >= 0 && d <= 9)) break;
      v = v * 10 + d;
      p++;
    }
    const next = b[p] as number;
    if (p > c.end || next === DOT || (next | 0x20) === 0x65 || !(v < TWO_POW_32)) return false;
    this.numbers[f] = v;
    c.pos = p;
    return true;
  }

  /** Scans a number where one is required; a value of another type is a type error. */
  private number(name: string, rule: string): boolean {
    const c = this.cursor;
    const first = c.peek();
    if (first === 0x2d || (first >= DIGIT_0 && first <= DIGIT_9)) {
      return c.scanNumber() || this.syntax(name, false);
    }
    if (c.atValueStart()) return this.fail("wrong-type", name, `${rule} (got ${c.describeValueAt()})`);
    return this.syntax(name, c.unexpected(c.pos, "a number"));
  }

  private literal(): string {
    const c = this.cursor;
    return quoteForMessage(asciiSlice(c.bytes, c.numStart, c.pos));
  }

  /** `hash_ids`: an array of integers in [0, 2^53). The loop reads plain integers inline (the hot path). */
  private parseHashIds(): boolean {
    const c = this.cursor;
    const name = "hash_ids";
    if (c.peek() !== LBRACKET) {
      if (c.atValueStart())
        return this.fail("wrong-type", name, `must be an array of integers (got ${c.describeValueAt()})`);
      return this.syntax(name, c.unexpected(c.pos, '"["'));
    }
    const b = c.bytes;
    const end = c.end;
    c.pos++;
    c.skipWs();
    let p = c.pos;
    let n = 0;
    // Each id takes at least 2 bytes ("0,"), which bounds how many this line can hold.
    const ids = this.out.hashChunkFor(((end - p) >> 1) + 1);
    const at = this.out.hashWriteAt;
    if (p < end && b[p] === RBRACKET) {
      c.pos = p + 1;
      this.hashLen = 0;
      return true;
    }
    for (;;) {
      // Hot path: a plain integer followed by "," or "]" (one optional space after the comma). The digit loop
      // may read past `end` (the newline, a stale byte of the read buffer, or past the array: undefined →
      // NaN, which stops it); `q < end` then sends a number that ran past the line to the general path.
      let q = p;
      let d = (b[q] as number) - DIGIT_0;
      if (d > 0 && d <= 9) {
        let v = d;
        q++;
        for (;;) {
          d = (b[q] as number) - DIGIT_0;
          if (!(d >= 0 && d <= 9)) break;
          v = v * 10 + d;
          q++;
        }
        const next = b[q];
        if (v < TWO_POW_53 && q < end) {
          if (next === COMMA) {
            ids[at + n++] = v;
            q++;
            if (b[q] === SPACE && q < end) q++;
            p = q;
            continue;
          }
          if (next === RBRACKET) {
            ids[at + n++] = v;
            c.pos = q + 1;
            this.hashLen = n;
            return true;
          }
        }
      }
      // General path: whitespace, 0, signs, fractions, exponents, huge values and every error, judged by
      // the general scanner (which also names the problem).
      while (p < end && isWs(b[p] as number)) p++;
      c.pos = p;
      if (!this.hashElementSlow(n)) return false;
      const v = c.numValue;
      q = c.pos;
      ids[at + n++] = v;
      while (q < end && isWs(b[q] as number)) q++;
      const ch = q < end ? (b[q] as number) : -1;
      if (ch === COMMA) {
        p = q + 1;
        while (p < end && isWs(b[p] as number)) p++; // so the next id can take the hot path
      } else if (ch === RBRACKET) {
        c.pos = q + 1;
        this.hashLen = n;
        return true;
      } else {
        return this.syntax(name, c.unexpected(q, '"," or "]"'));
      }
    }
  }

  /** One hash id that is not a plain digit string: a number checked exactly, or a type/syntax error. */
  private hashElementSlow(index: number): boolean {
    const c = this.cursor;
    const name = "hash_ids";
    const rule = `[${index}] must be an integer >= 0 and below 2^53`;
    const first = c.peek();
    if (first === 0x2d || (first >= DIGIT_0 && first <= DIGIT_9)) {
      if (!c.scanNumber()) return this.syntax(name, false);
      const v = c.numValue;
      if (!(v < TWO_POW_53)) return this.fail("too-large", name, `${rule} (got ${this.literal()})`);
      if (v < 0) return this.fail("negative", name, `${rule} (got ${this.literal()})`);
      if (!c.numInteger) return this.fail("fractional", name, `${rule} (got ${this.literal()})`);
      return true;
    }
    if (c.atValueStart()) return this.fail("wrong-type", name, `${rule} (got ${c.describeValueAt()})`);
    return this.syntax(name, c.unexpected(c.pos, "a number"));
  }

  /** `session_id`: a string, or an integer (kept as its decimal text); null = absent. */
  private parseSessionId(): boolean {
    const c = this.cursor;
    const name = "session_id";
    const rule = "must be a string or an integer";
    const first = c.peek();
    if (first === QUOTE) {
      const from = c.pos;
      if (!c.scanString()) return this.syntax(name, false);
      const text = c.decodeString(from, c.pos, c.stringHadEscape);
      if (text === null) return this.syntax(name, false);
      this.sessionName = text;
      this.sessionIsInteger = false;
      return true;
    }
    if (first === 0x2d || (first >= DIGIT_0 && first <= DIGIT_9)) {
      if (!c.scanNumber()) return this.syntax(name, false);
      const v = c.numValue;
      if (!c.numInteger) return this.fail("wrong-type", name, `${rule} (got ${this.literal()})`);
      if (!(Math.abs(v) < TWO_POW_53)) {
        // Beyond 2^53 a double no longer holds every integer, so two different ids could read as one.
        return this.fail(
          "too-large",
          name,
          `an integer id must be below 2^53 = 9007199254740992 in magnitude; write larger ids as strings (got ${this.literal()})`,
        );
      }
      this.sessionName = String(v);
      this.sessionIsInteger = true;
      return true;
    }
    if (first === 0x6e && c.atValueStart()) return c.literal("null");
    if (c.atValueStart()) return this.fail("wrong-type", name, `${rule} (got ${c.describeValueAt()})`);
    return this.syntax(name, c.unexpected(c.pos, "a string or an integer"));
  }

  /** Row-level rules (required fields, the hash count), then append the row. */
  private commitRow(out: RangeColumnsBuilder): boolean {
    const nums = this.numbers;
    const seen = this.seen;
    const hasTimestamp = (seen & (1 << FIELD.timestamp)) !== 0;
    const hasInputLength = (seen & (1 << FIELD.input_length)) !== 0;
    const hasOutputLength = (seen & (1 << FIELD.output_length)) !== 0;
    if (!hasTimestamp && (seen & (1 << FIELD.created_time)) === 0)
      return this.fail("missing-field", "timestamp", "is required");
    if (!hasInputLength && (seen & (1 << FIELD.input_tokens)) === 0)
      return this.fail("missing-field", "input_length", "is required");
    if (!hasOutputLength && (seen & (1 << FIELD.output_tokens)) === 0)
      return this.fail("missing-field", "output_length", "is required");
    if ((seen & (1 << FIELD.hash_ids)) === 0) return this.fail("missing-field", "hash_ids", "is required");
    // Canonical names win over the Dynamo aliases when both are present (as in Dynamo's loader).
    const arrivalMs = nums[hasTimestamp ? FIELD.timestamp : FIELD.created_time] as number;
    const inputTokens = nums[hasInputLength ? FIELD.input_length : FIELD.input_tokens] as number;
    const outputTokens = nums[hasOutputLength ? FIELD.output_length : FIELD.output_tokens] as number;
    const delay = (seen & (1 << FIELD.delay)) !== 0 ? (nums[FIELD.delay] as number) : Number.NaN;
    const delayAlias = (seen & (1 << FIELD.delay_ms)) !== 0 ? (nums[FIELD.delay_ms] as number) : Number.NaN;
    const delayMs = Number.isNaN(delay) ? delayAlias : delay;
    const blocks = Math.ceil(inputTokens / this.traceBlockSize);
    if (this.hashLen !== blocks) {
      const inputName = hasInputLength ? "input_length" : "input_tokens";
      return this.fail(
        "hash-count",
        "hash_ids",
        `must hold ceil(${inputName} / ${this.traceBlockSize}) = ${blocks} ids (got ${this.hashLen})`,
      );
    }
    const session = this.sessionName === null ? -1 : out.sessionId(this.sessionName, this.sessionIsInteger);
    out.commitHashes(this.hashLen);
    out.pushRow(arrivalMs, inputTokens, outputTokens, session, delayMs, this.line);
    return true;
  }

  private fail(rule: TraceRule, field: string | null, text: string): false {
    this.error = { line: this.line, rule, field, text };
    return false;
  }

  /** A JSON syntax error (the cursor's errorText says where), attributed to `field` when inside its value. */
  private syntax(field: string | null, _failed: false): false {
    return this.fail("not-json", field, `not valid JSON: ${this.cursor.errorText}`);
  }
}
