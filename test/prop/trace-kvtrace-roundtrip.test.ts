import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { TraceColumns } from "../../src/trace/columns.js";
import { decodeKvtrace, encodeKvtrace, loadKvtrace, writeKvtrace } from "../../src/trace/kvtrace.js";
import { parseTraceJsonl, readTraceJsonl } from "../../src/trace/read-jsonl.js";
import { columnsSnapshot, sameColumns } from "../oracles/trace-reference.js";

// JSONL → .kvtrace → columns equals the direct parse, for the shared traces and for random traces with every
// optional column in use (sessions, delays, fractional arrivals, ids up to 2^53 − 1).
const dir = mkdtempSync(join(tmpdir(), "kvsim-kvtrace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowArb = fc.record({
  dt: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 100, noNaN: true })),
  input: fc.integer({ min: 1, max: 2000 }),
  output: fc.integer({ min: 1, max: 100_000 }),
  session: fc.option(fc.constantFrom("a", "b", "ü-ß", "", "12")),
  delay: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
  id: fc.oneof(fc.nat(1000), fc.constant(2 ** 53 - 1)),
});

type Row = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function traceText(rows: Row[], block: number): string {
  let ts = 0;
  const seen = new Set<string>();
  return rows
    .map((r) => {
      ts += r.dt;
      const first = r.session === null || !seen.has(r.session);
      if (r.session !== null) seen.add(r.session);
      const ids = Array.from({ length: Math.ceil(r.input / block) }, (_, k) => r.id + k);
      return JSON.stringify({
        timestamp: ts,
        input_length: r.input,
        output_length: r.output,
        hash_ids: ids.map((x) => Math.min(x, 2 ** 53 - 1)),
        ...(r.session === null ? {} : { session_id: r.session }),
        ...(r.delay === null || first ? {} : { delay: r.delay }),
      });
    })
    .join("\n");
}

describe("JSONL → kvtrace → columns equals the direct parse", () => {
  it("random traces (fixed seed)", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(16, 64, 512),
        (rows, block) => {
          const direct = parseTraceJsonl(traceText(rows, block), "r.jsonl", {
            traceBlockSize: block,
          }).columns;
          const back = decodeKvtrace(encodeKvtrace(direct), "r.kvtrace");
          expect(columnsSnapshot(back)).toEqual(columnsSnapshot(direct));
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it.each(["mooncake_conversation_trace.jsonl", "mooncake_synthetic_trace.jsonl"])(
    "%s through a file",
    (name) => {
      const src = fileURLToPath(new URL(`../../../shared/traces/${name}`, import.meta.url));
      const direct: TraceColumns = readTraceJsonl(src).columns;
      const out = join(dir, `${name}.kvtrace`);
      writeKvtrace(out, direct);
      expect(sameColumns(loadKvtrace(out), direct)).toEqual([]);
    },
  );
});
