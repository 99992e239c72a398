import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import { parseTraceJsonl } from "../../src/trace/read-jsonl.js";
import { InputError } from "../../src/util/errors.js";
import { columnsToRows, type RefRow, referenceRows } from "../oracles/trace-reference.js";

// 10,000 real trace lines, each mutated at the byte level (1–3 edits: a byte replaced by a JSON-ish or random
// byte, deleted, inserted, or a slice duplicated) and planted as line 3 of a four-line trace between its real
// neighbours. Parsed in-process (a few seconds): every trace is either refused with one line naming the file
// and line 3 (or line 4 when the mutation pushed line 3's timestamp past line 4's), or accepted with exactly
// the rows the JSON.parse-per-line reference reads from the same bytes. 0 crashes, 0 other exceptions.

const SEED = 1_400_014;
const RUNS = 10_000;

const source = fileURLToPath(new URL("../fixtures/replay/conversation-300.jsonl", import.meta.url));
const lines = readFileSync(source, "utf8").trimEnd().split("\n");
const encoder = new TextEncoder();

/** Bytes that change a JSON line's meaning most often, then any byte (never a newline: one line stays one). */
const JSONISH = encoder.encode('0123456789-+.eE",:[]{} nultrfa\\');

function mutate(line: Uint8Array, rng: Prng): Uint8Array {
  let bytes = Array.from(line);
  const edits = 1 + rng.nextBelow(3);
  const anyByte = () => {
    if (rng.nextBelow(2) === 0) return JSONISH[rng.nextBelow(JSONISH.length)] as number;
    const b = rng.nextBelow(255);
    return b >= 0x0a ? b + 1 : b; // skip 0x0a
  };
  for (let e = 0; e < edits; e++) {
    const at = rng.nextBelow(bytes.length + 1);
    switch (rng.nextBelow(4)) {
      case 0:
        if (at < bytes.length) bytes[at] = anyByte();
        break;
      case 1:
        bytes.splice(at, 1);
        break;
      case 2:
        bytes.splice(at, 0, anyByte());
        break;
      default: {
        const end = Math.min(bytes.length, at + 1 + rng.nextBelow(12));
        bytes = [...bytes.slice(0, end), ...bytes.slice(at, end), ...bytes.slice(end)];
      }
    }
  }
  return Uint8Array.from(bytes);
}

/** -0 and 0 are the same number to every use; the byte parser stores 0, JSON.parse -0. */
const comparable = (rows: RefRow[]) =>
  JSON.stringify(
    rows.map((r) => ({
      ...r,
      arrivalMs: r.arrivalMs + 0,
      delayMs: Number.isNaN(r.delayMs) ? "absent" : r.delayMs + 0,
      hashIds: r.hashIds.map((id) => id + 0),
    })),
  );

describe(`${RUNS} byte-mutated real lines: one-line refusal at the right line, or the reference's rows`, () => {
  it(`seed ${SEED}`, () => {
    const rng = new Prng(SEED);
    const outcome = { accepted: 0, refused: 0 };
    const failures: string[] = []; // collected, not asserted per case: 10,000 expect() calls cost seconds
    const describeCase = (run: number, i: number, bad: Uint8Array) =>
      `run ${run} (seed ${SEED}), line ${i + 1} mutated to ${JSON.stringify(new TextDecoder().decode(bad))}`;
    for (let run = 0; run < RUNS; run++) {
      const i = 2 + rng.nextBelow(lines.length - 3);
      const bad = mutate(encoder.encode(lines[i] as string), rng);
      const parts = [lines[i - 2], lines[i - 1], null, lines[i + 1]].map((l) =>
        l === null ? bad : encoder.encode(`${l}`),
      );
      const bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.length + 1, 0));
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        bytes[at + p.length] = 0x0a;
        at += p.length + 1;
      }
      let rows: RefRow[];
      try {
        rows = columnsToRows(parseTraceJsonl(bytes, "m.jsonl").columns);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const atLine3 = message.startsWith("m.jsonl:3: ");
        const pushedPastLine4 =
          message.startsWith("m.jsonl:4: ") && message.includes('field "timestamp": goes backwards');
        if (!(error instanceof InputError) || message.includes("\n") || !(atLine3 || pushedPastLine4))
          failures.push(`${describeCase(run, i, bad)}: ${error instanceof Error ? error.stack : message}`);
        outcome.refused++;
        continue;
      }
      outcome.accepted++;
      const reference = referenceRows(new TextDecoder().decode(bytes));
      if (comparable(rows) !== comparable(reference))
        failures.push(`${describeCase(run, i, bad)}: accepted, but the reference reads other rows`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(outcome.accepted + outcome.refused).toBe(RUNS);
    expect(outcome.accepted).toBeGreaterThan(500);
    expect(outcome.refused).toBeGreaterThan(5000);
  });
});
