import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { TraceColumns } from "../../src/trace/columns.js";
import { decodeKvtrace, encodeKvtrace } from "../../src/trace/kvtrace.js";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { InputError } from "../../src/util/errors.js";
import { fieldOffset, resealed } from "../support/kvtrace-kit.js";

// A .kvtrace is checked before use: any damaged byte (caught by the structure verifier or the payload CRC) and
// any value a JSONL row could not have (caught even in a file whose checksum is right) is one line naming the
// file and the field, and the row where there is one.
//
// The fixture's rows (1-based): 1 ts 0 in 600 ids [0,1]; 2 ts 0.5 in 1025 ids [0,1,2]; 3 ts 1000 in 512 [3]
// session chat-A; 4 ts 2500 in 1000 [3,4] chat-A delay 150.5; 5 ts 2500 in 1 [2^53-1] session "42";
// 6 ts 4000 in 513 [0,5] chat-é delay 0. 11 hash ids in all; block size 512.

const fixture = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));
const conversation = fileURLToPath(new URL("../fixtures/replay/conversation-300.jsonl", import.meta.url));
const columns = readTraceJsonl(fixture).columns;
const bytes = encodeKvtrace(columns);

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message;
  }
  return "accepted";
}

/** The fixture's columns with some replaced (fresh copies, so the fixture stays intact). */
function edited(edit: (t: Mutable) => void): TraceColumns {
  const t: Mutable = {
    ...columns,
    arrivalMs: columns.arrivalMs.slice(),
    inputTokens: columns.inputTokens.slice(),
    outputTokens: columns.outputTokens.slice(),
    hashOffsets: columns.hashOffsets.slice(),
    hashIds: columns.hashIds.slice(),
    sessionIndex: columns.sessionIndex.slice(),
    sessionNames: [...columns.sessionNames],
    delayMs: columns.delayMs.slice(),
    sourceLine: columns.sourceLine.slice(),
  };
  edit(t);
  return t;
}
type Mutable = { -readonly [K in keyof TraceColumns]: TraceColumns[K] } & { sessionNames: string[] };

const corrupt = (why: string) => `x.kvtrace: corrupt .kvtrace file (${why})`;

describe("damaged bytes", () => {
  it("the issue's reproduction: 50 compiled rows, byte 52 set to 0x36, is one line (was a V8 abort)", () => {
    const rows = readTraceJsonl(conversation).columns;
    const fifty = { ...rows, count: 50 } as Mutable;
    for (const k of [
      "arrivalMs",
      "inputTokens",
      "outputTokens",
      "sessionIndex",
      "delayMs",
      "sourceLine",
    ] as const)
      (fifty[k] as unknown) = rows[k].subarray(0, 50);
    fifty.hashOffsets = rows.hashOffsets.subarray(0, 51);
    fifty.hashIds = rows.hashIds.subarray(0, rows.hashOffsets[50]);
    const file = encodeKvtrace(fifty);
    expect(decodeKvtrace(file, "t.kvtrace").count).toBe(50);
    file[52] = 0x36;
    expect(messageOf(() => decodeKvtrace(file, "t.kvtrace"))).toMatch(
      /^t\.kvtrace: corrupt \.kvtrace file \([^\n]+\)$/,
    );
  });

  it(`every single-byte change at each of the file's bytes is refused (two values per byte)`, () => {
    let refused = 0;
    for (let at = 0; at < bytes.length; at++) {
      const original = bytes[at] as number;
      for (const value of [original ^ 0xff, original ^ 0x01]) {
        const file = bytes.slice();
        file[at] = value;
        const message = messageOf(() => decodeKvtrace(file, "x.kvtrace"));
        expect(message, `byte ${at}`).toMatch(/^x\.kvtrace: [^\n]+$/);
        refused++;
      }
    }
    expect(refused).toBe(2 * bytes.length);
  });

  it("every truncation is refused, and so are appended bytes", () => {
    for (let n = 0; n < bytes.length; n++) {
      expect(
        messageOf(() => decodeKvtrace(bytes.subarray(0, n), "x.kvtrace")),
        `length ${n}`,
      ).toMatch(/^x\.kvtrace: [^\n]+$/);
    }
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    expect(messageOf(() => decodeKvtrace(longer, "x.kvtrace"))).toMatch(
      /^x\.kvtrace: corrupt \.kvtrace file \(field "payload_crc32": the file's bytes give [0-9a-f]{8}, not the recorded [0-9a-f]{8}: damaged, cut short or appended to\)$/,
    );
  });

  it("a vector length beyond the file is caught by the verifier even with a matching checksum", () => {
    const file = bytes.slice();
    const view = new DataView(file.buffer);
    const at = fieldOffset(file, 10) as number; // session_names
    view.setUint32(at + view.getUint32(at, true), 0x7fff_ffff, true);
    expect(messageOf(() => decodeKvtrace(resealed(file), "x.kvtrace"))).toBe(
      corrupt('field "session_names": its 2147483647 entries of 4 bytes run past the end of the file'),
    );
  });

  it("a hash_ids length one too long (still inside the file) is caught by the value checks", () => {
    const file = bytes.slice();
    const view = new DataView(file.buffer);
    const at = fieldOffset(file, 8) as number; // hash_ids
    const vector = at + view.getUint32(at, true);
    expect(view.getUint32(vector, true)).toBe(11);
    view.setUint32(vector, 12, true);
    expect(messageOf(() => decodeKvtrace(resealed(file), "x.kvtrace"))).toBe(
      corrupt('field "hash_offsets": ends at 11, not at the 12 hash ids'),
    );
  });
});

describe("values a JSONL row could not have, in a file whose checksum is right", () => {
  const cases: [string, (t: Mutable) => void, string][] = [
    [
      "a NaN arrival",
      (t) => {
        t.arrivalMs[2] = Number.NaN;
      },
      'row 3, source line 3: field "timestamp": must be a number >= 0 and below 2^53 ms (got NaN)',
    ],
    [
      "an arrival of 1.3e294 ms (a span of 1.3e291 s)",
      (t) => {
        t.arrivalMs[5] = 1.3e294;
      },
      'row 6, source line 6: field "timestamp": must be a number >= 0 and below 2^53 ms (got 1.3e+294)',
    ],
    [
      "an arrival going backwards",
      (t) => {
        t.arrivalMs[3] = 999;
      },
      'row 4, source line 4: field "timestamp": goes backwards (999 < 1000 on the row before)',
    ],
    [
      "output length 0",
      (t) => {
        t.outputTokens[0] = 0;
      },
      'row 1, source line 1: field "output_length": must be an integer >= 1 (got 0)',
    ],
    [
      "input length 0",
      (t) => {
        t.inputTokens[4] = 0;
      },
      'row 5, source line 5: field "input_length": must be an integer >= 1 (got 0)',
    ],
    [
      "a NaN hash id",
      (t) => {
        t.hashIds[2] = Number.NaN; // row 2's first id
      },
      'row 2, source line 2: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got NaN)',
    ],
    [
      "a hash id of 2^53",
      (t) => {
        t.hashIds[8] = 2 ** 53; // row 5's only id
      },
      'row 5, source line 5: field "hash_ids": [0] must be an integer >= 0 and below 2^53 (got 9007199254740992)',
    ],
    [
      "a fractional hash id",
      (t) => {
        t.hashIds[10] = 5.5; // row 6's second id
      },
      'row 6, source line 6: field "hash_ids": [1] must be an integer >= 0 and below 2^53 (got 5.5)',
    ],
    [
      "a hash count that does not match the input length",
      (t) => {
        t.inputTokens[0] = 2000; // needs ceil(2000 / 512) = 4 ids, has 2
      },
      'row 1, source line 1: field "hash_ids": must hold ceil(input_length / 512) = 4 ids (got 2)',
    ],
    [
      "a session index out of range",
      (t) => {
        t.sessionIndex[2] = 7;
      },
      'row 3, source line 3: field "session_id": index 7 is outside the 3 session names',
    ],
    [
      "session indices out of first-appearance order",
      (t) => {
        t.sessionIndex[2] = 1;
      },
      'row 3, source line 3: field "session_id": index 1 appears before index 0 (not first-appearance order)',
    ],
    [
      "a negative delay",
      (t) => {
        t.delayMs[3] = -5;
      },
      'row 4, source line 4: field "delay": must be absent or a number >= 0 and below 2^53 ms (got -5)',
    ],
    [
      "a delay on a session's first turn",
      (t) => {
        t.delayMs[2] = 100;
      },
      'row 3, source line 3: field "delay": must be absent or 0 on a session\'s first turn (got 100)',
    ],
    [
      "an infinite delay",
      (t) => {
        t.delayMs[3] = Number.POSITIVE_INFINITY;
      },
      'row 4, source line 4: field "delay": must be absent or a number >= 0 and below 2^53 ms (got Infinity)',
    ],
    [
      "a session name twice",
      (t) => {
        t.sessionNames[1] = "chat-A";
      },
      'field "session_names": holds a name twice',
    ],
    [
      "source line 0",
      (t) => {
        t.sourceLine[0] = 0;
      },
      'row 1: field "source_line": must be >= 1 (got 0)',
    ],
  ];
  for (const [what, edit, why] of cases) {
    it(what, () => {
      expect(messageOf(() => decodeKvtrace(encodeKvtrace(edited(edit)), "x.kvtrace"))).toBe(corrupt(why));
    });
  }

  it("the unedited fixture is accepted (the edits above are what is refused)", () => {
    expect(decodeKvtrace(encodeKvtrace(edited(() => undefined)), "x.kvtrace").count).toBe(6);
  });
});
