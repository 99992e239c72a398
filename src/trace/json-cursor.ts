/**
 * A byte cursor over one line of UTF-8 JSON: the general (slow but complete) half of the trace parser.
 * It validates and skips any JSON value, scans strings with escapes, and reads numbers exactly, including
 * the forms the schema-specific fast path hands over (fractions, exponents such as `1e3`, `-0`).
 *
 * State: `bytes[pos..end)` is what is left of the line; `lineStart` anchors the 1-based columns in messages.
 * After a failed call, `errorText` says what was wrong and where; the cursor is then not reusable until reset.
 * Number results land in fields (`numValue`, `numInteger`, `numStart`) instead of a returned object, so the
 * hot path allocates nothing.
 */

export const SPACE = 0x20;
export const TAB = 0x09;
export const CR = 0x0d;
export const LF = 0x0a;
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const MINUS = 0x2d;
export const PLUS = 0x2b;
export const DOT = 0x2e;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;

const MAX_DEPTH = 256;
const utf8 = new TextDecoder("utf-8", { fatal: true });

export class JsonCursor {
  bytes: Uint8Array;
  pos: number;
  end: number;
  lineStart: number;
  errorText: string;
  /** Value of the last number scanned (−0 is returned as 0). */
  numValue: number;
  /** Whether that number's literal denotes an integer exactly (decided on the digits, not the double). */
  numInteger: boolean;
  /** Byte offset where that number's literal starts (it ends at `pos`). */
  numStart: number;
  /** Whether the last string scanned contained a backslash escape. */
  stringHadEscape: boolean;

  constructor() {
    this.bytes = new Uint8Array(0);
    this.pos = 0;
    this.end = 0;
    this.lineStart = 0;
    this.errorText = "";
    this.numValue = 0;
    this.numInteger = true;
    this.numStart = 0;
    this.stringHadEscape = false;
  }

  reset(bytes: Uint8Array, start: number, end: number): void {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.lineStart = start;
    this.errorText = "";
  }

  skipWs(): void {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos;
    while (p < end) {
      const c = b[p] as number;
      if (c !== SPACE && c !== TAB && c !== CR && c !== LF) break;
      p++;
    }
    this.pos = p;
  }

  /** The byte at `pos`, or -1 at the end of the line. */
  peek(): number {
    return this.pos < this.end ? (this.bytes[this.pos] as number) : -1;
  }

  /** Records "unexpected X at column N" for the byte at `at` (or "unexpected end of line"); returns false. */
  unexpected(at: number, expected: string): false {
    if (at >= this.end) {
      this.errorText = `unexpected end of line (expected ${expected})`;
    } else {
      const c = this.bytes[at] as number;
      const shown = c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${hex2(c)}`;
      this.errorText = `unexpected ${shown} at column ${at - this.lineStart + 1} (expected ${expected})`;
    }
    return false;
  }

  /** Scans the string starting at `pos` (which must be a quote); leaves `pos` after the closing quote. */
  scanString(): boolean {
    const b = this.bytes;
    const end = this.end;
    let p = this.pos + 1;
    let escaped = false;
    for (;;) {
      if (p >= end) {
        this.errorText = `unexpected end of line inside a string starting at column ${this.pos - this.lineStart + 1}`;
        return false;
      }
      const c = b[p] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        const e = p + 1 < end ? (b[p + 1] as number) : -1;
        if (e === 0x75 /* u */) {
          for (let k = 2; k < 6; k++) {
            if (p + k >= end || !isHexDigit(b[p + k] as number)) return this.unexpected(p + k, "a hex digit");
          }
          p += 6;
        } else if (
          e === QUOTE ||
          e === BACKSLASH ||
          e === 0x2f /* / */ ||
          e === 0x62 /* b */ ||
          e === 0x66 /* f */ ||
          e === 0x6e /* n */ ||
          e === 0x72 /* r */ ||
          e === 0x74 /* t */
        ) {
          p += 2;
        } else {
          return this.unexpected(p + 1, "an escape character");
        }
        continue;
      }
      if (c < 0x20) return this.unexpected(p, "no control characters inside a string");
      p++;
    }
    this.pos = p + 1;
    this.stringHadEscape = escaped;
    return true;
  }

  /**
   * The text of a scanned string literal `bytes[from..to)` (quotes included); null if it is not valid
   * UTF-8, with `errorText` set.
   */
  decodeString(from: number, to: number, hadEscape: boolean): string | null {
    let text: string;
    try {
      text = utf8.decode(this.bytes.subarray(hadEscape ? from : from + 1, hadEscape ? to : to - 1));
    } catch {
      this.errorText = `invalid UTF-8 inside the string at column ${from - this.lineStart + 1}`;
      return null;
    }
    // Escapes were validated by scanString; JSON.parse decodes them (\uXXXX, surrogate pairs).
    return hadEscape ? (JSON.parse(text) as string) : text;
  }

  /**
   * Scans a JSON number at `pos`. Exactness: the literal decides integrality (so 1.0, 1e3 and 25e-1·… are
   * judged on their digits), and the value is the correctly rounded double of the whole literal.
   */
  scanNumber(): boolean {
    const b = this.bytes;
    const end = this.end;
    const start = this.pos;
    let p = start;
    if (p < end && b[p] === MINUS) p++;
    const intStart = p;
    if (p >= end) return this.unexpected(p, "a digit");
    let c = b[p] as number;
    let v = 0;
    if (c === DIGIT_0) {
      p++;
      if (p < end && isDigit(b[p] as number)) return this.unexpected(p, "no leading zeros");
    } else if (c > DIGIT_0 && c <= DIGIT_9) {
      while (p < end) {
        c = b[p] as number;
        if (c < DIGIT_0 || c > DIGIT_9) break;
        v = v * 10 + (c - DIGIT_0);
        p++;
      }
    } else {
      return this.unexpected(p, "a digit");
    }
    const intEnd = p;
    const next = p < end ? (b[p] as number) : -1;
    if (next !== DOT && (next | 0x20) !== 0x65 /* e */) {
      // Plain integer literal: v is exact below 2^53 and ≥ 2^53 whenever the true value is.
      this.numValue = intStart !== start && v !== 0 ? -v : v;
      this.numInteger = true;
      this.numStart = start;
      this.pos = p;
      return true;
    }
    let fracStart = p;
    let fracEnd = p;
    if (next === DOT) {
      p++;
      fracStart = p;
      if (p >= end || !isDigit(b[p] as number)) return this.unexpected(p, "a digit after the decimal point");
      while (p < end && isDigit(b[p] as number)) p++;
      fracEnd = p;
    }
    let exponent = 0;
    if (p < end && ((b[p] as number) | 0x20) === 0x65) {
      p++;
      let expNegative = false;
      if (p < end && (b[p] === PLUS || b[p] === MINUS)) {
        expNegative = b[p] === MINUS;
        p++;
      }
      if (p >= end || !isDigit(b[p] as number)) return this.unexpected(p, "a digit in the exponent");
      while (p < end && isDigit(b[p] as number)) {
        if (exponent < 1e9) exponent = exponent * 10 + ((b[p] as number) - DIGIT_0);
        p++;
      }
      if (expNegative) exponent = -exponent;
    }
    const value = Number(asciiSlice(b, start, p));
    this.numValue = value === 0 ? 0 : value;
    this.numInteger = literalIsInteger(b, intStart, intEnd, fracStart, fracEnd, exponent);
    this.numStart = start;
    this.pos = p;
    return true;
  }

  /** Validates and skips any JSON value at `pos` (an unknown field's value). */
  skipValue(depth: number): boolean {
    if (depth > MAX_DEPTH) {
      this.errorText = `values nested more than ${MAX_DEPTH} deep at column ${this.pos - this.lineStart + 1}`;
      return false;
    }
    const c = this.peek();
    if (c === QUOTE) return this.scanString();
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return this.scanNumber();
    if (c === 0x74 /* t */) return this.literal("true");
    if (c === 0x66 /* f */) return this.literal("false");
    if (c === 0x6e /* n */) return this.literal("null");
    if (c === LBRACKET) return this.skipContainer(depth, RBRACKET);
    if (c === LBRACE) return this.skipContainer(depth, RBRACE);
    return this.unexpected(this.pos, "a JSON value");
  }

  private skipContainer(depth: number, close: number): boolean {
    this.pos++;
    this.skipWs();
    if (this.peek() === close) {
      this.pos++;
      return true;
    }
    for (;;) {
      if (close === RBRACE) {
        if (this.peek() !== QUOTE) return this.unexpected(this.pos, "a quoted key");
        if (!this.scanString()) return false;
        this.skipWs();
        if (this.peek() !== COLON) return this.unexpected(this.pos, '":"');
        this.pos++;
        this.skipWs();
      }
      if (!this.skipValue(depth + 1)) return false;
      this.skipWs();
      const c = this.peek();
      if (c === COMMA) {
        this.pos++;
        this.skipWs();
      } else if (c === close) {
        this.pos++;
        return true;
      } else {
        return this.unexpected(this.pos, close === RBRACE ? '"," or "}"' : '"," or "]"');
      }
    }
  }

  /** Skips `word` (true/false/null) at `pos`. */
  literal(word: string): boolean {
    for (let k = 0; k < word.length; k++) {
      if (this.pos + k >= this.end || this.bytes[this.pos + k] !== word.charCodeAt(k)) {
        return this.unexpected(this.pos + k, `"${word}"`);
      }
    }
    this.pos += word.length;
    return true;
  }

  /** Describes the JSON value starting at `pos` by its type, for "must be a number (got a string)". */
  describeValueAt(): string {
    switch (this.peek()) {
      case QUOTE:
        return "a string";
      case LBRACKET:
        return "an array";
      case LBRACE:
        return "an object";
      case 0x74:
      case 0x66:
        return "a boolean";
      case 0x6e:
        return "null";
      default:
        return "a number";
    }
  }

  /** Whether the byte at `pos` can start a JSON value (so a type error, rather than a syntax error, applies). */
  atValueStart(): boolean {
    const c = this.peek();
    if (c === QUOTE || c === LBRACKET || c === LBRACE || c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9))
      return true;
    const word = c === 0x74 ? "true" : c === 0x66 ? "false" : c === 0x6e ? "null" : "";
    if (word === "") return false;
    for (let k = 0; k < word.length; k++) {
      if (this.pos + k >= this.end || this.bytes[this.pos + k] !== word.charCodeAt(k)) return false;
    }
    return true;
  }
}

/**
 * Whether the decimal literal intDigits.fracDigits × 10^exponent is an integer: every digit right of the
 * shifted decimal point must be 0.
 */
function literalIsInteger(
  b: Uint8Array,
  intStart: number,
  intEnd: number,
  fracStart: number,
  fracEnd: number,
  exponent: number,
): boolean {
  const intLen = intEnd - intStart;
  const total = intLen + (fracEnd - fracStart);
  const point = intLen + exponent; // digits left of the shifted point
  for (let k = Math.max(point, 0); k < total; k++) {
    const digit = k < intLen ? (b[intStart + k] as number) : (b[fracStart + (k - intLen)] as number);
    if (digit !== DIGIT_0) return false;
  }
  return true;
}

export function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}

function hex2(c: number): string {
  return c.toString(16).padStart(2, "0");
}

/** ASCII text of bytes[from..to) (number literals; never multi-byte). */
export function asciiSlice(b: Uint8Array, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i] as number);
  return s;
}
