import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignCells } from "../../src/parallel/cells/cell-assignment.js";
import type { ShardKey } from "../../src/parallel/cells/shard-key.js";
import type { TraceColumns } from "../../src/trace/columns.js";

// Traces with sessions and colliding prefixes: each row names a session (or none) and draws its hash ids from a
// tiny alphabet, so many rows share their first blocks.
interface Row {
  readonly session: number | null;
  readonly ids: number[];
  readonly outputTokens: number;
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  session: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  ids: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
  outputTokens: fc.integer({ min: 1, max: 50 }),
});

function traceOf(rows: readonly Row[]): TraceColumns {
  const names: string[] = [];
  const hashIds: number[] = [];
  const hashOffsets = new Uint32Array(rows.length + 1);
  const sessionIndex = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    hashIds.push(...r.ids);
    hashOffsets[i + 1] = hashIds.length;
    if (r.session === null) sessionIndex[i] = -1;
    else {
      const name = `s${r.session}`;
      if (!names.includes(name)) names.push(name);
      sessionIndex[i] = names.indexOf(name);
    }
  });
  return {
    count: rows.length,
    traceBlockSize: 16,
    arrivalMs: new Float64Array(rows.length),
    inputTokens: Uint32Array.from(rows, (r) => r.ids.length * 16),
    outputTokens: Uint32Array.from(rows, (r) => r.outputTokens),
    hashOffsets,
    hashIds: Float64Array.from(hashIds),
    sessionIndex,
    sessionNames: names,
    delayMs: new Float64Array(rows.length).fill(Number.NaN),
    sourceLine: Uint32Array.from(rows, (_, i) => i + 1),
    sourceChecksum: "prop",
  };
}

/** Session of each row, numbered by first row (a row without a session id is a session of its own). */
function sessionsOf(rows: readonly Row[]): number[] {
  const seen = new Map<number, number>();
  let next = 0;
  return rows.map((r) => {
    if (r.session === null) return next++;
    const s = seen.get(r.session);
    if (s !== undefined) return s;
    seen.set(r.session, next);
    return next++;
  });
}

/** Slow oracle of the balanced placement: groups by first row, each to the least-loaded cell (ties: lowest). */
function oracleCells(rows: readonly Row[], key: ShardKey, cells: number): number[] {
  const session = sessionsOf(rows);
  const firstRow = new Map<number, number>();
  session.forEach((s, i) => {
    if (!firstRow.has(s)) firstRow.set(s, i);
  });
  const groupKey = (s: number): string => {
    const ids = (rows[firstRow.get(s) as number] as Row).ids;
    return key.kind === "block" ? ids.slice(0, key.depthBlocks).join(",") : `session ${s}`;
  };
  const groups: string[] = [];
  const tokens = new Map<string, number>();
  rows.forEach((r, i) => {
    const g = groupKey(session[i] as number);
    if (!groups.includes(g)) groups.push(g);
    tokens.set(g, (tokens.get(g) ?? 0) + r.ids.length * 16 + r.outputTokens);
  });
  const load = new Array<number>(cells).fill(0);
  const cellOf = new Map<string, number>();
  for (const g of groups) {
    const best = load.indexOf(Math.min(...load));
    cellOf.set(g, best);
    load[best] = (load[best] as number) + (tokens.get(g) as number);
  }
  return rows.map((_, i) => cellOf.get(groupKey(session[i] as number)) as number);
}

const keyArb: fc.Arbitrary<ShardKey> = fc.oneof(
  fc.constant<ShardKey>({ kind: "session" }),
  fc.constant<ShardKey>({ kind: "hash" }),
  fc.integer({ min: 1, max: 3 }).map((d): ShardKey => ({ kind: "block", depthBlocks: d })),
);

/** MurmurHash3's 32-bit finaliser (the published constants), for the hash key's oracle. */
function murmurFinal(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Cell of each row by the slow oracles: least-loaded placement, or hash: session s → murmurFinal(s) mod K. */
function expectedCells(rows: readonly Row[], key: ShardKey, cells: number): number[] {
  if (key.kind !== "hash") return oracleCells(rows, key, cells);
  return sessionsOf(rows).map((s) => murmurFinal(s) % cells);
}

/** Groups the key forms: sessions, or distinct first-turn D-prefixes (block:D). */
function groupCount(rows: readonly Row[], key: ShardKey): number {
  const session = sessionsOf(rows);
  const groups = new Set<string>();
  rows.forEach((r, i) => {
    const s = session[i] as number;
    if (session.indexOf(s) !== i) return; // only a session's first row names its group
    groups.add(key.kind === "block" ? r.ids.slice(0, key.depthBlocks).join(",") : `s${s}`);
  });
  return groups.size;
}

const keyText = (key: ShardKey): string => (key.kind === "block" ? `block:${key.depthBlocks}` : key.kind);

const counts = { assigned: 0, rejected: 0 };

/**
 * assignCells, checked against the oracles either way: it succeeds exactly when the oracle leaves no cell empty,
 * and a rejection names the lowest empty cell, the key's group count and the request count. Returns the
 * assignment, or null for a (warranted) rejection.
 */
function assigned(rows: Row[], key: ShardKey, cells: number) {
  const expected = expectedCells(rows, key, cells);
  const empty = Array.from({ length: cells }, (_, k) => k).find((k) => !expected.includes(k));
  try {
    const a = assignCells(traceOf(rows), key, cells);
    expect(empty, "assignCells accepted a placement that leaves a cell empty").toBeUndefined();
    counts.assigned++;
    return a;
  } catch (error) {
    expect(empty, `rejected although every cell gets a request: ${(error as Error).message}`).toBeDefined();
    expect((error as Error).message).toBe(
      `--cells ${cells}: cell ${empty} gets no request (shard key ${keyText(key)} forms ${groupCount(rows, key)} ` +
        `group(s) of ${rows.length} request(s)); use fewer cells or a finer --shard-key`,
    );
    counts.rejected++;
    return null;
  }
}

describe("shard-key assignment (properties, fixed seed)", () => {
  it("puts every request in exactly one cell, and rowsOfCell lists each cell's requests in order", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        keyArb,
        fc.integer({ min: 1, max: 4 }),
        (rows, key, cells) => {
          const a = assigned(rows, key, cells);
          if (a === null) return;
          const seen = new Array<number>(rows.length).fill(0);
          a.rowsOfCell.forEach((list, k) => {
            for (let i = 0; i < list.length; i++) {
              const row = list[i] as number;
              if (i > 0) expect(row).toBeGreaterThan(list[i - 1] as number);
              expect(a.cellOfRow[row]).toBe(k);
              seen[row] = (seen[row] as number) + 1;
            }
          });
          expect(seen.every((n) => n === 1)).toBe(true);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("never splits a session, and block:D sends sessions with equal first-turn D-prefixes to one cell", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        keyArb,
        fc.integer({ min: 1, max: 4 }),
        (rows, key, cells) => {
          const a = assigned(rows, key, cells);
          if (a === null) return;
          const session = sessionsOf(rows);
          const cellOfSession = new Map<number, number>();
          const cellOfPrefix = new Map<string, number>();
          rows.forEach((r, i) => {
            const s = session[i] as number;
            const cell = a.cellOfRow[i] as number;
            if (cellOfSession.has(s)) expect(cell).toBe(cellOfSession.get(s));
            else {
              cellOfSession.set(s, cell);
              if (key.kind === "block") {
                const prefix = r.ids.slice(0, key.depthBlocks).join(",");
                if (cellOfPrefix.has(prefix)) expect(cell).toBe(cellOfPrefix.get(prefix));
                cellOfPrefix.set(prefix, cell);
              }
            }
          });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("session and block:D place groups as a slow least-loaded-cell oracle does, hash as murmur mod K", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 40 }),
        keyArb,
        fc.integer({ min: 1, max: 4 }),
        (rows, key, cells) => {
          const a = assigned(rows, key, cells);
          if (a === null) return;
          expect(Array.from(a.cellOfRow)).toEqual(expectedCells(rows, key, cells));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it("exercised both outcomes: most random cases assign, some are (rightly) rejected", () => {
    // The properties above ran first (same file, in order): each rejection was checked against the oracle.
    expect(counts.assigned).toBeGreaterThan(counts.rejected);
    expect(counts.rejected).toBeGreaterThan(0);
  });

  it("rejects more cells than the key has groups: block:1 on a trace whose requests all start with block 0", () => {
    const rows: Row[] = [0, 1, 2].map((i) => ({ session: null, ids: [0, i + 1], outputTokens: 5 }));
    expect(() => assignCells(traceOf(rows), { kind: "block", depthBlocks: 1 }, 2)).toThrow(
      "--cells 2: cell 1 gets no request (shard key block:1 forms 1 group(s) of 3 request(s)); use fewer cells or a finer --shard-key",
    );
    expect(Array.from(assignCells(traceOf(rows), { kind: "block", depthBlocks: 2 }, 2).cellOfRow)).toEqual([
      0, 1, 0,
    ]);
  });
});
