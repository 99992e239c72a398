import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import type { TraceColumns } from "../../src/trace/columns.js";
import { decodeKvtrace, encodeKvtrace } from "../../src/trace/kvtrace.js";
import { readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { traceToJsonl } from "../../src/trace/synth/jsonl-writer.js";
import { InputError } from "../../src/util/errors.js";
import { columnsToRows, type RefRow, referenceRows } from "../oracles/trace-reference.js";
import { resealed } from "../support/kvtrace-kit.js";

// 2,000 seeded mutations of small compiled traces — random byte flips, aligned words overwritten with awkward
// values, truncations, extensions; about half re-sealed with a correct checksum so they reach the structure
// verifier and the value checks — and not one crash: each file is either refused with one line naming it, or
// accepted and then valid by the slow reference (its rows re-written as JSONL pass JSON.parse-per-line checks
// and come back the same).

const SEED = 20_240_614;
const RUNS = 2000;

const fixture = fileURLToPath(new URL("../fixtures/trace/valid-small.jsonl", import.meta.url));
const conversation = fileURLToPath(new URL("../fixtures/replay/conversation-300.jsonl", import.meta.url));

function firstRows(t: TraceColumns, n: number): TraceColumns {
  return {
    ...t,
    count: n,
    arrivalMs: t.arrivalMs.subarray(0, n),
    inputTokens: t.inputTokens.subarray(0, n),
    outputTokens: t.outputTokens.subarray(0, n),
    hashOffsets: t.hashOffsets.subarray(0, n + 1),
    hashIds: t.hashIds.subarray(0, t.hashOffsets[n]),
    sessionIndex: t.sessionIndex.subarray(0, n),
    delayMs: t.delayMs.subarray(0, n),
    sourceLine: t.sourceLine.subarray(0, n),
  };
}

const bases = [
  encodeKvtrace(readTraceJsonl(fixture).columns), // sessions, delays, an id of 2^53 − 1
  encodeKvtrace(firstRows(readTraceJsonl(conversation).columns, 20)),
];

const u32Values = [0, 1, 2, 3, 4, 0x36, 0xff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffc];
const f64Values = [Number.NaN, Number.POSITIVE_INFINITY, -1, -0, 0.5, 1e300, 2 ** 53, 2 ** 53 - 1, 4.9e-324];

type Mutation =
  | { kind: "flip"; at: number[]; value: number[] }
  | { kind: "u32"; at: number; value: number }
  | { kind: "f64"; at: number; value: number }
  | { kind: "truncate"; keep: number }
  | { kind: "extend"; extra: number[] };

interface FuzzCase {
  readonly base: number;
  readonly mutation: Mutation;
  readonly reseal: boolean;
}

/** Uniform positions over the whole file (fast-check's generators lean towards small numbers: the header). */
function makeCase(rng: Prng): FuzzCase {
  const base = rng.nextBelow(bases.length);
  const length = (bases[base] as Uint8Array).length;
  const bytes = (n: number) => Array.from({ length: n }, () => rng.nextBelow(256));
  const pick = <T>(values: readonly T[]): T => values[rng.nextBelow(values.length)] as T;
  const roll = rng.nextBelow(11);
  let mutation: Mutation;
  if (roll < 4) {
    const n = 1 + rng.nextBelow(8);
    mutation = { kind: "flip", at: Array.from({ length: n }, () => rng.nextBelow(length)), value: bytes(n) };
  } else if (roll < 7) {
    mutation = { kind: "u32", at: 4 * rng.nextBelow(length / 4), value: pick(u32Values) };
  } else if (roll < 9) {
    mutation = { kind: "f64", at: 8 * rng.nextBelow(length / 8), value: pick(f64Values) };
  } else if (roll < 10) {
    mutation = { kind: "truncate", keep: rng.nextBelow(length) };
  } else {
    mutation = { kind: "extend", extra: bytes(1 + rng.nextBelow(64)) };
  }
  return { base, mutation, reseal: rng.nextBelow(2) === 1 };
}

function apply(base: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case "flip": {
      const out = base.slice();
      m.at.forEach((at, k) => {
        out[at] = m.value[k] as number;
      });
      return out;
    }
    case "u32": {
      const out = base.slice();
      new DataView(out.buffer).setUint32(m.at, m.value, true);
      return out;
    }
    case "f64": {
      const out = base.slice();
      new DataView(out.buffer).setFloat64(m.at, m.value, true);
      return out;
    }
    case "truncate":
      return base.slice(0, m.keep);
    case "extend": {
      const out = new Uint8Array(base.length + m.extra.length);
      out.set(base);
      out.set(m.extra, base.length);
      return out;
    }
  }
}

/** An accepted trace must be one the slow JSON.parse reference accepts, row for row. */
function expectValidByReference(t: TraceColumns): void {
  const rows = columnsToRows(t);
  const again = referenceRows(traceToJsonl(t), t.traceBlockSize);
  // Line numbers differ by construction; -0 and 0 are the same number to every use (JSONL writes both as 0).
  // Compared as text: a deep toEqual over thousands of ids costs seconds here.
  const comparable = (r: RefRow[]) =>
    JSON.stringify(
      r.map(({ line: _line, ...rest }) => ({
        ...rest,
        arrivalMs: rest.arrivalMs + 0,
        delayMs: Number.isNaN(rest.delayMs) ? "absent" : rest.delayMs + 0,
        hashIds: rest.hashIds.map((id) => id + 0),
      })),
    );
  expect(comparable(again)).toBe(comparable(rows));
  for (const r of rows) expect(r.line).toBeGreaterThanOrEqual(1);
}

describe(`${RUNS} mutated .kvtrace files: refused with one line, or accepted and valid`, () => {
  it(`seed ${SEED}`, () => {
    const rng = new Prng(SEED);
    const cases = Array.from({ length: RUNS }, () => makeCase(rng));
    const outcome = { accepted: 0, checksum: 0, structure: 0, values: 0, other: 0 };
    cases.forEach((c, k) => {
      const mutated = apply(bases[c.base] as Uint8Array, c.mutation);
      const file = c.reseal ? resealed(mutated) : mutated;
      const label = `case ${k} (seed ${SEED}): ${JSON.stringify(c)}`;
      let columns: TraceColumns;
      try {
        columns = decodeKvtrace(file, "f.kvtrace");
      } catch (error) {
        expect(error, label).toBeInstanceOf(InputError);
        const message = (error as Error).message;
        expect(message, label).toMatch(/^f\.kvtrace: [^\n]+$/);
        if (message.includes('"payload_crc32"')) outcome.checksum++;
        else if (/\(row \d+/.test(message)) outcome.values++;
        else if (message.includes("corrupt .kvtrace file")) outcome.structure++;
        else outcome.other++; // not a .kvtrace, or a version it does not read
        return;
      }
      outcome.accepted++;
      expectValidByReference(columns);
    });
    expect(Object.values(outcome).reduce((a, b) => a + b, 0)).toBe(RUNS);
    // every layer is exercised: the checksum, the verifier, the value checks, and acceptance
    expect(outcome.checksum).toBeGreaterThan(100);
    expect(outcome.structure).toBeGreaterThan(100);
    expect(outcome.values).toBeGreaterThan(50);
    expect(outcome.accepted).toBeGreaterThan(0);
  });
});
