import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { KvRouter } from "../../src/sim/router/kv-router.js";
import { DEFAULT_ROUTER_CONFIG, type KvRouterConfig } from "../../src/sim/router/router-config.js";
import { ReferenceRouter } from "../oracles/reference-router.js";
import { makeRequests, type Row, takeAdmissions } from "../support/router-kit.js";

/**
 * Random histories (arrivals, prefill/request completions, KV Stored/Removed events, workers joining and
 * leaving) drive the fast KvRouter and the slow ReferenceRouter with the same seed; after every step their
 * admissions (request, worker, overlap blocks, isl blocks), queue sizes and per-worker state must agree.
 *
 * Prompts come from three prefix families so they share leading blocks; Stored events start at a block whose
 * parent the worker holds (as an engine's would), may repeat blocks the worker already holds, and Removed
 * events evict any held block (parents before children too), so detached subtrees and re-linking occur.
 */

const BLOCK = 4;

function rowArb(families: number, maxShared: number, maxBlocks: number): fc.Arbitrary<Row> {
  return fc
    .record({
      family: fc.integer({ min: 0, max: families - 1 }),
      shared: fc.integer({ min: 0, max: maxShared }),
      blocks: fc.integer({ min: 1, max: maxBlocks }),
      partial: fc.integer({ min: 0, max: BLOCK - 1 }),
    })
    .map(({ family, shared, blocks, partial }) => ({
      isl: blocks * BLOCK + partial,
      ids: Array.from({ length: Math.min(shared, blocks) }, (_, j) => family * 100 + j),
    }));
}

const configArb: fc.Arbitrary<KvRouterConfig> = fc.record({
  overlap_score_weight: fc.constantFrom(0, 0.5, 1, 2),
  router_temperature: fc.constantFrom(0, 0, 0.7),
  router_track_active_blocks: fc.boolean(),
  router_assume_kv_reuse: fc.boolean(),
  router_track_prefill_tokens: fc.boolean(),
  router_prefill_load_model: fc.constant(null),
  router_queue_threshold: fc.constantFrom(null, 0, 0.5, 2),
  router_queue_policy: fc.constantFrom("fcfs" as const, "lcfs" as const, "wspt" as const),
  router_track_output_blocks: fc.constant(false),
  kv_host_overlap_weight: fc.constantFrom(0, 1),
  kv_disk_overlap_weight: fc.constantFrom(0, 0.5),
});

const commandArb = fc.tuple(
  fc.integer({ min: 0, max: 9 }),
  fc.nat({ max: 1000 }),
  fc.nat({ max: 1000 }),
  fc.nat({ max: 1000 }),
);

const scenarioArb_fields = {
  rows: fc.array(rowArb(3, 6, 9), { minLength: 4, maxLength: 30, size: "max" }),
  config: configArb,
  useReplayHashes: fc.constantFrom(true, true, true, false),
  maxNumBatchedTokens: fc.constantFrom(8, 32, 128),
  // Engine blocks per trace block: the active-block tracker keeps its books per trace block (run).
  perTrace: fc.constantFrom(1, 1, 2, 3),
  initialWorkers: fc.integer({ min: 0, max: 4 }),
  seed: fc.nat(),
  commands: fc.array(commandArb, { minLength: 1, maxLength: 120, size: "max" }),
};
const scenarioArb = fc.record(scenarioArb_fields);

interface Scenario {
  readonly rows: readonly Row[];
  readonly config: KvRouterConfig;
  readonly useReplayHashes: boolean;
  readonly maxNumBatchedTokens: number;
  readonly perTrace: number;
  readonly initialWorkers: number;
  readonly seed: number;
  readonly commands: readonly (readonly [number, number, number, number])[];
}

function run(s: Scenario): void {
  const requests = makeRequests(s.rows, BLOCK, s.perTrace);
  const common = {
    config: { ...DEFAULT_ROUTER_CONFIG, ...s.config },
    blockSize: BLOCK,
    maxNumBatchedTokens: s.maxNumBatchedTokens,
    requests,
    useReplayHashes: s.useReplayHashes,
  };
  const fast = new KvRouter({ ...common, totalKvBlocks: 100, rng: new Prng(s.seed) });
  const ref = new ReferenceRouter({ ...common, rng: new Prng(s.seed) });
  const held = new Map<number, Set<number>>(); // worker → block hashes it holds (mirrors the index)
  const routing: number[] = [];
  const known: number[] = [];
  const admitted: number[] = [];
  let nextRequest = 0;
  let nextWorker = 0;
  let nowMs = 0;
  let decodeBlock = -1;

  const compare = (step: string): void => {
    const a = takeAdmissions(fast);
    expect(takeAdmissions(ref), step).toEqual(a);
    for (const row of a) admitted.push(row[0] as number);
    expect(fast.pendingCount, step).toBe(ref.pendingCount);
    for (const w of known) {
      expect(fast.index.treeSize(w), `${step} tree size of ${w}`).toBe(ref.tree.treeSize(w));
      expect(fast.activeBlocks.activeBlocks(w), `${step} active blocks of ${w}`).toBe(ref.activeBlocks(w));
      expect(fast.activeTokens(w, nowMs), `${step} active tokens of ${w}`).toBe(ref.activeTokens(w));
    }
  };
  const addWorker = (): void => {
    const w = nextWorker++;
    routing.push(w);
    known.push(w);
    held.set(w, new Set());
    fast.addWorker(w, nowMs);
    ref.addWorker(w, nowMs);
  };
  const apply = (w: number, log: KvEventLog): void => {
    fast.applyKvEvents(w, log);
    ref.applyKvEvents(w, log);
  };

  for (let i = 0; i < s.initialWorkers; i++) addWorker();
  compare("start");
  for (const [op, a, b, c] of s.commands) {
    nowMs += a % 7;
    let step = `op ${op}`;
    if (op <= 2) {
      if (nextRequest >= s.rows.length) continue;
      step = `arrival of ${nextRequest}`;
      fast.onRequestArrival(nextRequest, nowMs);
      ref.onRequestArrival(nextRequest, nowMs);
      nextRequest++;
    } else if (op === 3 || op === 4) {
      if (admitted.length === 0) continue;
      const idx = b % admitted.length;
      const r = admitted[idx] as number;
      if (op === 3) {
        step = `prefill completed ${r}`;
        fast.onPrefillCompleted(r, nowMs);
        ref.onPrefillCompleted(r, nowMs);
      } else {
        step = `request completed ${r}`;
        admitted.splice(idx, 1);
        fast.onRequestCompleted(r, nowMs);
        ref.onRequestCompleted(r, nowMs);
      }
    } else if (op === 5 || op === 6) {
      if (known.length === 0) continue;
      const w = known[b % known.length] as number;
      const mine = held.get(w) as Set<number>;
      const hashes = requests.blockHashes(c % s.rows.length);
      const log = new KvEventLog();
      // Start where the worker holds the parent (or at the root); the run may overlap blocks it holds.
      const starts = [0];
      for (let j = 1; j < hashes.length; j++) if (mine.has(hashes[j - 1] as number)) starts.push(j);
      const from = starts[a % starts.length] as number;
      if (from < hashes.length) {
        const to = from + 1 + (c % (hashes.length - from));
        log.pushStored(from === 0 ? Number.NaN : (hashes[from - 1] as number), hashes, from, to);
        for (let j = from; j < to; j++) mine.add(hashes[j] as number);
        if (op === 6 && to === hashes.length && hashes.length > 0) {
          // A generated (decode) block under the prompt's last block: a unique negative id.
          log.pushStored(hashes[to - 1] as number, [decodeBlock], 0, 1);
          mine.add(decodeBlock--);
        }
      }
      if (log.count === 0) continue;
      step = `stored on ${w}`;
      apply(w, log);
    } else if (op === 7) {
      if (known.length === 0) continue;
      const w = known[b % known.length] as number;
      const mine = [...(held.get(w) as Set<number>)].sort((x, y) => x - y);
      if (mine.length === 0) continue;
      const log = new KvEventLog();
      for (let k = 0; k <= c % 3 && k < mine.length; k++) {
        const h = mine[(a + k) % mine.length] as number;
        log.pushRemoved(h);
        held.get(w)?.delete(h);
      }
      step = `removed on ${w}`;
      apply(w, log);
    } else if (op === 8) {
      if (known.length >= 6) continue;
      step = "add worker";
      addWorker();
    } else {
      if (routing.length === 0) continue;
      const w = routing.splice(b % routing.length, 1)[0] as number;
      step = `remove worker ${w}`;
      fast.removeWorker(w, nowMs);
      ref.removeWorker(w, nowMs);
    }
    compare(step);
  }
}

describe("the fast KvRouter admits exactly like the reference router", () => {
  it("on random event streams, same seed → same admissions, queue and per-worker state", () => {
    fc.assert(fc.property(scenarioArb, run), { seed: 42, numRuns: 150 });
  });

  it("on event-heavy histories over one small prefix family (evicted parents, re-linked subtrees)", () => {
    // Few distinct blocks and many Stored/Removed events: workers often hold a child without its parent, store
    // blocks they already hold under another node, and see emptied nodes drop their children.
    const dense = fc.record({
      ...scenarioArb_fields,
      rows: fc.array(rowArb(1, 5, 5), { minLength: 3, maxLength: 12, size: "max" }),
      initialWorkers: fc.integer({ min: 2, max: 4 }),
      commands: fc.array(
        commandArb.map(([op, a, b, c]) => [op < 2 ? 0 : op < 6 ? 5 : op < 9 ? 7 : 4, a, b, c] as const),
        { minLength: 1, maxLength: 150, size: "max" },
      ),
    });
    fc.assert(fc.property(dense, run), { seed: 7, numRuns: 300 });
  });
});
