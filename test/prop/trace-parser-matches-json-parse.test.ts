import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";
import { columnsToRows, referenceRows } from "../oracles/trace-reference.js";

// Valid traces written in every JSON style the byte parser must accept (key order, whitespace, escaped keys,
// integers as 1.0 / 1e3 / 1.234e3, unknown keys with nested values, Dynamo's alias keys, blank lines, CRLF)
// parse to exactly what JSON.parse per line says.

const BLOCK = 64;

interface Row {
  ts: number;
  input: number;
  output: number;
  ids: number[];
  session: string | number | null;
  delay: number | null;
}

const integerForms = (v: number): string[] => {
  const d = String(v);
  const forms = [d, `${d}.0`, `${d}e0`, `${d}E+0`];
  if (d.length > 1) forms.push(`${d[0]}.${d.slice(1)}e${d.length - 1}`);
  const zeros = d.length - d.replace(/0+$/, "").length;
  if (zeros > 0 && v !== 0) forms.push(`${d.slice(0, d.length - zeros)}e${zeros}`);
  return forms;
};

const ws = fc.constantFrom("", " ", "  ", "\t", " \t ");
const idArb = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.constantFrom(2 ** 53 - 1, 2 ** 32, 2 ** 31 - 1, 0),
);

const rowArb = fc
  .record({
    ts: fc.oneof(
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.integer({ min: 0, max: 40_000 }).map((q) => q / 4),
    ),
    input: fc.integer({ min: 1, max: 700 }),
    output: fc.integer({ min: 1, max: 5000 }),
    session: fc.option(
      fc.oneof(fc.string({ unit: "grapheme", maxLength: 6 }), fc.integer({ min: -5, max: 5 })),
    ),
    delay: fc.option(fc.oneof(fc.integer({ min: 0, max: 9000 }), fc.constant(12.25))),
  })
  .chain((r) =>
    fc
      .array(idArb, { minLength: Math.ceil(r.input / BLOCK), maxLength: Math.ceil(r.input / BLOCK) })
      .map((ids): Row => ({ ...r, ids })),
  );

interface Style {
  order: number[];
  spaces: string[];
  formPick: number[];
  escapeKey: boolean;
  extra: string | null;
  alias: boolean;
}

const styleArb = fc.record({
  order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7, maxLength: 7 }),
  spaces: fc.array(ws, { minLength: 8, maxLength: 8 }),
  formPick: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  escapeKey: fc.boolean(),
  extra: fc.option(
    fc.constantFrom(
      '{"a": [1, {"b": null}], "c": "x\\"y"}',
      "-1.5e-3",
      "true",
      '"\\u00e9\\ud83d\\ude00"',
      "[]",
    ),
  ),
  alias: fc.boolean(),
});

function render(r: Row, s: Style): string {
  const pickForm = (v: number, k: number) => {
    const forms = integerForms(v);
    return forms[(s.formPick[k] as number) % forms.length] as string;
  };
  const sp = (k: number) => s.spaces[k % s.spaces.length] as string;
  const key = (name: string) =>
    s.escapeKey && name === "hash_ids" ? '"hash\\u005fids"' : JSON.stringify(name);
  const fields: (string | null)[] = [
    `${key(s.alias ? "created_time" : "timestamp")}${sp(0)}:${sp(1)}${Number.isInteger(r.ts) ? pickForm(r.ts, 0) : String(r.ts)}`,
    `${key(s.alias ? "input_tokens" : "input_length")}:${sp(2)}${pickForm(r.input, 1)}`,
    `${key("output_length")}:${pickForm(r.output, 2)}`,
    `${key("hash_ids")}:${sp(3)}[${sp(4)}${r.ids.map((id, i) => (i === 0 ? pickForm(id, 3) : String(id))).join(`${sp(5)},${sp(6)}`)}${sp(7)}]`,
    r.session === null ? null : `${key("session_id")}:${JSON.stringify(r.session)}`,
    r.delay === null ? null : `${key(s.alias ? "delay_ms" : "delay")}:${r.delay}`,
    s.extra === null ? null : `"extra_${s.order[0]}":${s.extra}`,
  ];
  const body = s.order.map((k) => fields[k]).filter((f): f is string => f !== null);
  return `${sp(2)}{${sp(3)}${body.join(`${sp(0)},${sp(1)}`)}${sp(4)}}${sp(5)}`;
}

/** Orders arrivals and drops delays from first turns so the trace is valid. */
function makeValid(rows: Row[]): Row[] {
  const sorted = rows.map((r) => r.ts).sort((a, b) => a - b);
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const name = r.session === null ? null : String(r.session);
    const first = name === null || !seen.has(name);
    if (name !== null) seen.add(name);
    return { ...r, ts: sorted[i] as number, delay: first ? null : r.delay };
  });
}

const traceArb = fc.record({
  rows: fc.array(rowArb, { minLength: 1, maxLength: 12 }),
  styles: fc.array(styleArb, { minLength: 12, maxLength: 12 }),
  blankAfter: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
});

describe("the byte parser agrees with JSON.parse on valid traces in any JSON style", () => {
  it("same rows, values, sessions and delays (fixed seed)", () => {
    fc.assert(
      fc.property(traceArb, (t) => {
        const rows = makeValid(t.rows);
        const nl = t.crlf ? "\r\n" : "\n";
        let text = "";
        rows.forEach((r, i) => {
          text += render(r, t.styles[i] as Style) + nl;
          if (t.blankAfter[i]) text += `  ${nl}`;
        });
        if (!t.finalNewline) text = text.replace(/\r?\n$/, "");
        const expected = referenceRows(text, BLOCK);
        const actual = columnsToRows(parseTraceJsonl(text, "p.jsonl", { traceBlockSize: BLOCK }).columns);
        expect(actual).toEqual(expected);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
