import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completeEngineBlocks, expandEngineBlockHashes } from "../../native-free-kernels/block-hash.js";

const TRACE_BLOCK = 512;

interface TraceRequest {
  readonly ids: readonly number[];
  readonly inputTokens: number;
}

// Trace hash ids: small integers, large 53-bit integers, and pairs that differ only in the high 32-bit lane.
const idArb = fc.oneof(
  fc.nat(50),
  fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  fc.tuple(fc.nat(2 ** 21 - 1), fc.nat(3)).map(([hi, lo]) => hi * 2 ** 32 + lo),
);

/**
 * Requests built to share prefixes on purpose: request i copies the first `shared` trace blocks of an earlier
 * request, then appends `own` fresh ids; its prompt ends somewhere inside its last trace block (often partial).
 */
const workloadArb = fc
  .record({
    shapes: fc.array(
      fc.record({
        parent: fc.nat(),
        shared: fc.nat(10),
        own: fc.nat(6),
        lastBlockTokens: fc.integer({ min: 1, max: 512 }),
      }),
      { minLength: 2, maxLength: 8 },
    ),
    fresh: fc.array(idArb, { minLength: 60, maxLength: 60 }),
  })
  .map(({ shapes, fresh }) => {
    const requests: TraceRequest[] = [];
    let next = 0;
    for (const [i, s] of shapes.entries()) {
      const parent = i > 0 ? requests[s.parent % i] : undefined;
      const ids = parent ? parent.ids.slice(0, s.shared) : [];
      for (let k = 0; k < s.own; k++) ids.push(fresh[next++ % fresh.length] as number);
      const inputTokens = ids.length === 0 ? 0 : (ids.length - 1) * TRACE_BLOCK + s.lastBlockTokens;
      requests.push({ ids, inputTokens });
    }
    return requests;
  });

/** Expands one request, placing its ids at an arbitrary offset inside a larger column, like a trace does. */
function hashesOf(r: TraceRequest, engineBlock: number, pad: number): Float64Array {
  const column = new Float64Array(pad + r.ids.length + 3).fill(987654321);
  column.set(r.ids, pad);
  const out = new Float64Array(r.inputTokens / engineBlock + 5).fill(-1);
  const n = expandEngineBlockHashes(
    column,
    pad,
    pad + r.ids.length,
    r.inputTokens,
    TRACE_BLOCK,
    engineBlock,
    out,
    2,
  );
  expect(n).toBe(Math.floor(r.inputTokens / engineBlock));
  expect(n).toBe(completeEngineBlocks(r.inputTokens, engineBlock));
  expect(out[0]).toBe(-1); // nothing written before outOffset …
  expect(out[2 + n]).toBe(-1); // … or after the last complete block
  return out.slice(2, 2 + n);
}

describe("expandEngineBlockHashes: engine block j is shared iff every trace block up to j's is shared", () => {
  it("equal hashes exactly when the trace-block prefixes through block j agree (engine blocks 16 and 64)", () => {
    fc.assert(
      fc.property(workloadArb, fc.constantFrom(16, 64), fc.nat(4), (requests, engineBlock, pad) => {
        const hashes = requests.map((r, i) => hashesOf(r, engineBlock, (pad + i) % 5));
        // Collect violations and assert once (one expect per block pair would dominate the run time).
        const violations: string[] = [];
        for (const h of hashes) {
          for (const x of h)
            if (!(Number.isInteger(x) && x >= 0 && x < 2 ** 53)) violations.push(`bad hash ${x}`);
        }
        const perTrace = TRACE_BLOCK / engineBlock;
        for (let a = 0; a < requests.length; a++) {
          for (let b = a; b < requests.length; b++) {
            const ra = requests[a] as TraceRequest;
            const rb = requests[b] as TraceRequest;
            const ha = hashes[a] as Float64Array;
            const hb = hashes[b] as Float64Array;
            for (let j = 0; j < Math.min(ha.length, hb.length); j++) {
              const t = Math.floor(j / perTrace);
              let sharedPrefix = true;
              for (let k = 0; k <= t; k++) sharedPrefix &&= ra.ids[k] === rb.ids[k];
              if ((ha[j] === hb[j]) !== sharedPrefix) violations.push(`requests ${a}, ${b} block ${j}`);
            }
          }
        }
        expect(violations).toEqual([]);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("distinguishes the engine blocks inside one trace block, and depends on the high 32 bits of an id", () => {
    const one = { ids: [7], inputTokens: 512 };
    const h = hashesOf(one, 64, 0);
    expect(new Set(h).size).toBe(8); // 512 / 64 = 8 distinct chained hashes
    const high = hashesOf({ ids: [7 + 2 ** 32], inputTokens: 512 }, 64, 0);
    expect(high[0]).not.toBe(h[0]);
  });

  it("never collides at the block where two requests diverge, even when their ids share the low 32 bits", () => {
    // 4096 siblings after a common 2-block prefix, ids 1 + k·2^32 (k < 4096): identical low lanes. If only the
    // low 21 bits of a random lane told them apart, about 4096² / 2 / 2^21 ≈ 4 pairs would collide.
    const seen = new Set<number>();
    for (let k = 0; k < 4096; k++) {
      const h = hashesOf({ ids: [11, 12, 1 + k * 2 ** 32], inputTokens: 3 * TRACE_BLOCK }, 64, 0);
      seen.add(h[16] as number); // first engine block of the third trace block
    }
    expect(seen.size).toBe(4096);
  });

  it("covers only the tokens the ids stand for when the prompt is longer than the ids", () => {
    // 2 ids cover 1024 tokens: floor(1024 / 16) = 64 blocks, even though the prompt claims 3000 tokens.
    const out = new Float64Array(300);
    const ids = new Float64Array([1, 2]);
    expect(expandEngineBlockHashes(ids, 0, 2, 3000, TRACE_BLOCK, 16, out, 0)).toBe(64);
  });

  it("rejects an engine block size that does not divide the trace block size", () => {
    const out = new Float64Array(10);
    expect(() => expandEngineBlockHashes(new Float64Array([1]), 0, 1, 512, TRACE_BLOCK, 48, out, 0)).toThrow(
      RangeError,
    );
    expect(() =>
      expandEngineBlockHashes(new Float64Array([1]), 0, 1, 512, TRACE_BLOCK, 1024, out, 0),
    ).toThrow(RangeError);
  });
});
