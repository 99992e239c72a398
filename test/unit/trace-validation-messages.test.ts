import { describe, expect, it } from "vitest";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";
import { InputError } from "../../src/util/errors.js";

// Each case: line 2 of a trace whose line 1 is valid, and the exact one-line message expected for it.
// Columns are 1-based bytes; they agree with Python's json module (which points one byte earlier for a bad
// escape: at the backslash rather than the letter after it).
const GOOD = '{"timestamp": 0, "input_length": 10, "output_length": 1, "hash_ids": [0]}';

function errorFor(line2: string, options: { traceBlockSize?: number } = {}): string {
  try {
    parseTraceJsonl(`${GOOD}\n${line2}\n`, "trace.jsonl", options);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`no error for ${line2}`);
}

const row = (fields: string) => `{${fields}}`;
const base = '"timestamp": 5, "output_length": 3';

const CASES: [string, string][] = [
  // types and presence
  [row(`${base}, "input_length": 10`), 'trace.jsonl:2: field "hash_ids": is required'],
  [
    row(`"input_length": 10, "output_length": 3, "hash_ids": [1]`),
    'trace.jsonl:2: field "timestamp": is required',
  ],
  [
    row(`${base}, "input_length": "10", "hash_ids": [1]`),
    'trace.jsonl:2: field "input_length": must be an integer >= 1 (got a string)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": "1"`),
    'trace.jsonl:2: field "hash_ids": must be an array of integers (got a string)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [true]`),
    'trace.jsonl:2: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got a boolean)',
  ],
  [
    row(`${base}, "input_length": null, "hash_ids": [1]`),
    'trace.jsonl:2: field "input_length": must be an integer >= 1 (got null)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [1], "session_id": 1.5`),
    'trace.jsonl:2: field "session_id": must be a string or an integer (got 1.5)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [1], "session_id": [1]`),
    'trace.jsonl:2: field "session_id": must be a string or an integer (got an array)',
  ],
  [
    row(`${base}, "output_length": 4, "input_length": 10, "hash_ids": [1]`),
    'trace.jsonl:2: field "output_length": appears twice',
  ],
  // numbers: negative, fractional, zero, beyond 2^53 (never rounded), not finite
  [
    row(`"timestamp": -1, "output_length": 3, "input_length": 10, "hash_ids": [1]`),
    'trace.jsonl:2: field "timestamp": must be a number >= 0 (ms) (got -1)',
  ],
  [
    row(`${base}, "input_length": 3.5, "hash_ids": [1]`),
    'trace.jsonl:2: field "input_length": must be an integer >= 1 (got 3.5)',
  ],
  [
    row(`${base}, "input_length": 0, "hash_ids": []`),
    'trace.jsonl:2: field "input_length": must be an integer >= 1 (got 0)',
  ],
  [
    row(`${base}, "input_length": 4294967296, "hash_ids": [1]`),
    'trace.jsonl:2: field "input_length": must be an integer below 2^32 (got 4294967296)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [-2]`),
    'trace.jsonl:2: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got -2)',
  ],
  [
    row(`${base}, "input_length": 1000, "hash_ids": [1, 2.5]`),
    'trace.jsonl:2: field "hash_ids": [1] must be an integer >= 0 and below 2^53 (got 2.5)',
  ],
  // 2^53 = 9007199254740992; 9007199254740993 would round to it as a double: rejected, not rounded
  [
    row(`${base}, "input_length": 10, "hash_ids": [9007199254740992]`),
    'trace.jsonl:2: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got 9007199254740992)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [9007199254740993]`),
    'trace.jsonl:2: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got 9007199254740993)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [1e400]`),
    'trace.jsonl:2: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got 1e400)',
  ],
  [
    row(`"timestamp": 1e999, "output_length": 3, "input_length": 10, "hash_ids": [1]`),
    'trace.jsonl:2: field "timestamp": must be below 2^53 ms (got 1e999)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [1], "delay": -5`),
    'trace.jsonl:2: field "delay": must be a number >= 0 (ms) (got -5)',
  ],
  // 1.00000000000000001 is 1 as a double, but its digits are not an integer
  [
    row(`${base}, "input_length": 1.00000000000000001, "hash_ids": [1]`),
    'trace.jsonl:2: field "input_length": must be an integer >= 1 (got 1.00000000000000001)',
  ],
  // the hash_ids length rule: ceil(1025 / 512) = 3
  [
    row(`${base}, "input_length": 1025, "hash_ids": [1, 2]`),
    'trace.jsonl:2: field "hash_ids": must hold ceil(input_length / 512) = 3 ids (got 2)',
  ],
  // JSON syntax: where it broke, and in which field when inside one
  [
    '{"timestamp": 5, "input_length": 10, "output_length": 3, "hash_ids": [1, 2',
    'trace.jsonl:2: field "hash_ids": not valid JSON: unexpected end of line (expected "," or "]")',
  ],
  [
    '{"timestamp": 5, "input_length": 10,, "output_length": 3}',
    'trace.jsonl:2: not valid JSON: unexpected "," at column 37 (expected a quoted key)',
  ],
  [
    '{"timestamp": NaN, "input_length": 10}',
    'trace.jsonl:2: field "timestamp": not valid JSON: unexpected "N" at column 15 (expected a number)',
  ],
  [
    '{"timestamp": 05, "input_length": 10}',
    'trace.jsonl:2: field "timestamp": not valid JSON: unexpected "5" at column 16 (expected no leading zeros)',
  ],
  ["{'timestamp': 5}", 'trace.jsonl:2: not valid JSON: unexpected "\'" at column 2 (expected a quoted key)'],
  ["[1, 2]", "trace.jsonl:2: must be a JSON object (got an array)"],
  [
    `${row(`${base}, "input_length": 10, "hash_ids": [1]`)} x`,
    'trace.jsonl:2: not valid JSON: unexpected "x" at column 75 (expected the end of the line after the object)',
  ],
  [
    row(`${base}, "input_length": 10, "hash_ids": [1], "x": "bad \\q escape"`),
    'trace.jsonl:2: not valid JSON: unexpected "q" at column 86 (expected an escape character)',
  ],
];

describe("each malformed line gets one exact message naming file, line, field and rule", () => {
  it.each(CASES)("%s", (line2, message) => {
    expect(errorFor(line2)).toBe(message);
  });

  it("names the trace block size actually in force", () => {
    // ceil(10 / 4) = 3 ids needed
    expect(() =>
      parseTraceJsonl(row(`${base}, "input_length": 10, "hash_ids": [1]`), "t.jsonl", { traceBlockSize: 4 }),
    ).toThrow('t.jsonl:1: field "hash_ids": must hold ceil(input_length / 4) = 3 ids (got 1)');
  });

  it("an empty file and a file of blank lines are errors", () => {
    expect(() => parseTraceJsonl("", "e.jsonl")).toThrow("e.jsonl: no requests (the trace is empty)");
    expect(() => parseTraceJsonl("\n  \n\r\n", "e.jsonl")).toThrow(
      "e.jsonl: no requests (the trace is empty)",
    );
  });

  it("messages are single lines", () => {
    for (const [line2] of CASES) expect(errorFor(line2)).not.toContain("\n");
  });
});
