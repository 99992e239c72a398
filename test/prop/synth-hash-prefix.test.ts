import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixed, uniform } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { traceToJsonl } from "../../src/trace/synth/jsonl-writer.js";
import { constantRate } from "../../src/trace/synth/rate-profile.js";
import type { SynthSpec } from "../../src/trace/synth/synth-spec.js";

interface Row {
  timestamp: number;
  input_length: number;
  output_length: number;
  hash_ids: number[];
  session_id?: string;
  delay?: number;
}

/** A run of tokens from one source ("g7" = group 7's prefix, "s3.t1.u" = user tokens of turn 1, …). */
interface Run {
  src: string;
  length: number;
}

function parseJsonl(spec: Partial<SynthSpec>): Row[] {
  const text = traceToJsonl(synthesizeTrace(spec));
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Row);
}

/** The content of tokens [from, to) of a prompt made of `runs`, as text naming each source slice. */
function describeSpan(runs: Run[], from: number, to: number): string {
  const parts: string[] = [];
  let at = 0;
  for (const run of runs) {
    const a = Math.max(from, at);
    const b = Math.min(to, at + run.length);
    if (a < b) parts.push(`${run.src}[${a - at},${b - at})`);
    at += run.length;
  }
  return parts.join("+");
}

/**
 * Oracle: rebuild every prompt at token level from the workload's rules — a session's first prompt is its
 * group's prefix plus its own user tokens; turn k+1 appends turn k's response and new user tokens — and name
 * each block by the content of all tokens up to its end. Two (row, position) pairs must get the same hash id
 * exactly when the oracle gives them the same name. A session's group is the only thing read from the ids
 * (the first block of its first prompt), since which group a session joins is a random choice.
 */
function checkPrefixProperty(rows: Row[], spec: Partial<SynthSpec>): void {
  const block = spec.traceBlockSize as number;
  const prefixTokens = (spec.prefixGroups ?? 0) > 0 ? (spec.prefixTokens as number) : 0;
  const node = new Map<string, number>();
  const idToNode = new Map<number, number>();
  const nodeToId = new Map<number, number>();
  const sessions = new Map<
    string,
    { runs: Run[]; input: number; output: number; turn: number; ts: number }
  >();
  let prevTs = Number.NEGATIVE_INFINITY;
  rows.forEach((row, r) => {
    expect(row.timestamp).toBeGreaterThanOrEqual(prevTs);
    prevTs = row.timestamp;
    expect(row.hash_ids.length).toBe(Math.ceil(row.input_length / block));
    const key = row.session_id ?? `row${r}`;
    const prev = sessions.get(key);
    let runs: Run[];
    if (prev === undefined) {
      expect(row.delay).toBeUndefined();
      const own = row.input_length - prefixTokens;
      expect(own).toBeGreaterThanOrEqual(1);
      runs = prefixTokens > 0 ? [{ src: `g${row.hash_ids[0]}`, length: prefixTokens }] : [];
      runs.push({ src: `${key}.t0.u`, length: own });
      sessions.set(key, {
        runs,
        input: row.input_length,
        output: row.output_length,
        turn: 0,
        ts: row.timestamp,
      });
    } else {
      expect(row.delay).toBeDefined();
      expect(Math.abs(row.timestamp - (prev.ts + (row.delay as number)))).toBeLessThanOrEqual(0.001 + 1e-9);
      const own = row.input_length - prev.input - prev.output;
      expect(own).toBeGreaterThanOrEqual(1);
      const turn = prev.turn + 1;
      runs = [
        ...prev.runs,
        { src: `${key}.t${prev.turn}.r`, length: prev.output },
        { src: `${key}.t${turn}.u`, length: own },
      ];
      sessions.set(key, {
        runs,
        input: row.input_length,
        output: row.output_length,
        turn,
        ts: row.timestamp,
      });
    }
    let parent = -1;
    for (let i = 0; i < row.hash_ids.length; i++) {
      const name = `${parent}/${describeSpan(runs, i * block, Math.min((i + 1) * block, row.input_length))}`;
      let n = node.get(name);
      if (n === undefined) {
        n = node.size;
        node.set(name, n);
      }
      const id = row.hash_ids[i] as number;
      const seenNode = idToNode.get(id);
      const seenId = nodeToId.get(n);
      if (seenNode !== undefined && seenNode !== n)
        throw new Error(`row ${r} block ${i}: id ${id} names two prefixes`);
      if (seenId !== undefined && seenId !== id)
        throw new Error(`row ${r} block ${i}: one prefix has ids ${seenId}, ${id}`);
      idToNode.set(id, n);
      nodeToId.set(n, id);
      parent = n;
    }
  });
}

const specArb = fc
  .record({
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    requests: fc.integer({ min: 1, max: 60 }),
    block: fc.constantFrom(4, 8, 16),
    groups: fc.integer({ min: 0, max: 4 }),
    prefixExtra: fc.integer({ min: 0, max: 40 }),
    islLo: fc.integer({ min: 1, max: 20 }),
    islSpan: fc.integer({ min: 0, max: 40 }),
    oslHi: fc.integer({ min: 1, max: 30 }),
    turnsHi: fc.integer({ min: 1, max: 4 }),
    arrival: fc.constantFrom("poisson" as const, "constant" as const),
  })
  .map(
    (a): Partial<SynthSpec> => ({
      seed: a.seed,
      requests: a.requests,
      traceBlockSize: a.block,
      prefixGroups: a.groups,
      prefixTokens: a.groups > 0 ? a.block + a.prefixExtra : 0,
      isl: uniform(a.islLo, a.islLo + a.islSpan),
      osl: uniform(1, a.oslHi),
      turns: uniform(1, a.turnsHi),
      thinkTimeMs: uniform(0, 50),
      rateProfile: constantRate(40),
      arrival: a.arrival,
    }),
  );

describe("hash ids name a block together with every block before it", () => {
  it("matches a token-level oracle on random small workloads", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        checkPrefixProperty(parseJsonl(spec), spec);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("the oracle rejects a trace where a later turn keeps a block that was only partly in the previous prompt", () => {
    // Turn 1: 10 tokens with block 8 → blocks [0, 1]; block 1 holds only 2 prompt tokens. Turn 2 keeping id 1
    // at position 1 would claim the response tokens were the same as in another prompt — the oracle must object.
    const spec: Partial<SynthSpec> = { traceBlockSize: 8, prefixGroups: 0, prefixTokens: 0 };
    const rows: Row[] = [
      { timestamp: 0, input_length: 10, output_length: 3, hash_ids: [0, 1], session_id: "a" },
      { timestamp: 5, input_length: 20, output_length: 3, hash_ids: [0, 1, 2], session_id: "a", delay: 5 },
    ];
    expect(() => checkPrefixProperty(rows, spec)).toThrow(/names two prefixes/);
    const good = structuredClone(rows);
    (good[1] as Row).hash_ids = [0, 2, 3];
    expect(() => checkPrefixProperty(good, spec)).not.toThrow();
  });

  it("covers multi-turn sessions and shared prefixes (the generator does produce them)", () => {
    const rows = parseJsonl({
      requests: 50,
      traceBlockSize: 8,
      prefixGroups: 2,
      prefixTokens: 20,
      isl: fixed(5),
      osl: fixed(3),
      turns: fixed(3),
    });
    expect(rows.filter((r) => r.delay !== undefined).length).toBeGreaterThan(10);
    const firstIds = new Set(rows.filter((r) => r.delay === undefined).map((r) => r.hash_ids[0]));
    expect(firstIds.size).toBe(2);
  });
});
