// KV router benchmark: the fast KvRouter (typed arrays, hash tables) against the ReferenceRouter (objects, Maps)
// replaying the same call sequence in the same run. The sequence (arrivals, the KV events a simple LRU-less
// cache model would emit for each admission, prefill and request completions) is recorded once from the fast
// router, so the timed replays contain router work only; the replays must reproduce the recorded admissions.
// Clock = this process's CPU time (user + system): the machine is shared, wall time would measure the others.
import { Prng } from "../../native-free-kernels/prng.js";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { RequestTable } from "../../src/sim/request-table.js";
import { KvRouter } from "../../src/sim/router/kv-router.js";
import type { Router } from "../../src/sim/router/router.js";
import { DEFAULT_ROUTER_CONFIG, type KvRouterConfig } from "../../src/sim/router/router-config.js";
import type { TraceColumns } from "../../src/trace/columns.js";
import { ReferenceRouter } from "../../test/oracles/reference-router.js";
import type { BenchRow, BenchSuite } from "../lib.js";

const BLOCK = 16;
const WORKERS = 8;
const CACHE_BLOCKS = 8000; // per worker; the oldest stored blocks are evicted beyond it
const DONE_AFTER = 48; // requests in flight before the oldest completes
const QUEUE_TARGET = 32; // the harness lets the router's busy queue grow to about this length

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** ~200-block prompts: a shared prefix of 60–160 blocks from one of 32 families (skewed), then a unique tail. */
function workload(count: number, seed: number): RequestTable {
  const rng = new Prng(seed);
  const offsets = new Uint32Array(count + 1);
  const ids: number[] = [];
  const isl = new Uint32Array(count);
  for (let r = 0; r < count; r++) {
    const u = rng.nextFloat();
    const family = Math.floor(32 * u * u);
    const shared = 60 + rng.nextBelow(101);
    const blocks = 150 + rng.nextBelow(101);
    isl[r] = blocks * BLOCK + rng.nextBelow(BLOCK);
    for (let j = 0; j < blocks + 1; j++) ids.push(j < shared ? family * 1000 + j : 1e9 + r * 1000 + j);
    offsets[r + 1] = ids.length;
  }
  const trace: TraceColumns = {
    count,
    traceBlockSize: BLOCK,
    arrivalMs: new Float64Array(count),
    inputTokens: isl,
    outputTokens: new Uint32Array(count).fill(64),
    hashOffsets: offsets,
    hashIds: Float64Array.from(ids),
    sessionIndex: new Int32Array(count).fill(-1),
    sessionNames: [],
    delayMs: new Float64Array(count).fill(Number.NaN),
    sourceLine: new Uint32Array(count),
    sourceChecksum: "bench",
  };
  const table = new RequestTable(trace, BLOCK);
  for (let r = 0; r < count; r++) table.materialize(r);
  return table;
}

const ARRIVE = 0;
const PREFILL_DONE = 1;
const COMPLETE = 2;
const EVENTS = 3;

interface Recording {
  readonly kind: number[];
  readonly arg: number[];
  readonly logs: (KvEventLog | null)[];
  readonly admissions: number[]; // request, worker, overlap per admission, in order
  maxPending: number;
}

/**
 * Runs the fast router once, recording every call: after each arrival, the oldest admitted requests finish
 * prefill beyond `prefilling` outstanding and complete beyond DONE_AFTER in flight; each admission is followed
 * by the events of a cache that stores what the worker lacks and evicts its oldest blocks beyond CACHE_BLOCKS.
 */
function record(requests: RequestTable, config: KvRouterConfig, prefilling: number): Recording {
  const router = makeFast(requests, config);
  const rec: Recording = { kind: [], arg: [], logs: [], admissions: [], maxPending: 0 };
  const held = Array.from({ length: WORKERS }, () => new Set<number>());
  const order = Array.from({ length: WORKERS }, () => [] as number[]);
  const inPrefill: number[] = [];
  const inFlight: number[] = [];
  const pending: [number, KvEventLog][] = [];
  const call = (kind: number, arg: number, log: KvEventLog | null): void => {
    rec.kind.push(kind);
    rec.arg.push(arg);
    rec.logs.push(log);
    if (kind === ARRIVE) router.onRequestArrival(arg, 0);
    else if (kind === PREFILL_DONE) router.onPrefillCompleted(arg, 0);
    else if (kind === COMPLETE) router.onRequestCompleted(arg, 0);
    else router.applyKvEvents(arg, log as KvEventLog);
    rec.maxPending = Math.max(rec.maxPending, router.pendingCount);
    const a = router.admissions;
    for (let i = 0; i < a.count; i++) {
      const r = a.requestId[i] as number;
      const w = a.workerId[i] as number;
      rec.admissions.push(r, w, a.overlapBlocks[i] as number);
      inPrefill.push(r);
      inFlight.push(r);
      // The worker caches the prompt: store each run of blocks it lacks under the block before it.
      const hashes = requests.blockHashes(r);
      const mine = held[w] as Set<number>;
      const log = new KvEventLog(8, 256);
      for (let j = 0; j < hashes.length; ) {
        if (mine.has(hashes[j] as number)) {
          j++;
          continue;
        }
        let k = j;
        while (k < hashes.length && !mine.has(hashes[k] as number)) mine.add(hashes[k++] as number);
        log.pushStored(j === 0 ? Number.NaN : (hashes[j - 1] as number), hashes, j, k);
        for (let x = j; x < k; x++) (order[w] as number[]).push(hashes[x] as number);
        j = k;
      }
      const fifo = order[w] as number[];
      while (mine.size > CACHE_BLOCKS) {
        const h = fifo.shift() as number;
        if (mine.delete(h)) log.pushRemoved(h);
      }
      if (log.count > 0) pending.push([w, log]);
    }
    a.clear();
  };
  const flushEvents = (): void => {
    while (pending.length > 0) {
      const [w, log] = pending.shift() as [number, KvEventLog];
      call(EVENTS, w, log);
    }
  };
  for (let r = 0; r < requests.count; r++) {
    call(ARRIVE, r, null);
    flushEvents();
    // Beyond the window, or while the router's queue is longer than QUEUE_TARGET, the oldest prefill finishes.
    while (inPrefill.length > prefilling || (router.pendingCount > QUEUE_TARGET && inPrefill.length > 0)) {
      call(PREFILL_DONE, inPrefill.shift() as number, null);
      flushEvents();
    }
    while (inFlight.length > DONE_AFTER || (router.pendingCount > QUEUE_TARGET && inFlight.length > 0)) {
      const done = inFlight.shift() as number;
      const stillPrefilling = inPrefill.indexOf(done);
      if (stillPrefilling >= 0) inPrefill.splice(stillPrefilling, 1);
      call(COMPLETE, done, null);
      flushEvents();
    }
  }
  return rec;
}

function makeFast(requests: RequestTable, config: KvRouterConfig): KvRouter {
  const router = new KvRouter({
    config,
    blockSize: BLOCK,
    maxNumBatchedTokens: 8192,
    totalKvBlocks: CACHE_BLOCKS,
    requests,
    rng: new Prng(1),
    useReplayHashes: true,
  });
  for (let w = 0; w < WORKERS; w++) router.addWorker(w, 0);
  return router;
}

function makeReference(requests: RequestTable, config: KvRouterConfig): ReferenceRouter {
  const router = new ReferenceRouter({
    config,
    blockSize: BLOCK,
    maxNumBatchedTokens: 8192,
    requests,
    rng: new Prng(1),
    useReplayHashes: true,
  });
  for (let w = 0; w < WORKERS; w++) router.addWorker(w, 0);
  return router;
}

/** Replays the first `calls` recorded calls; returns CPU ms and checks the admissions against the recording. */
function replay(router: Router, rec: Recording, calls: number): { cpuMs: number; admissions: number } {
  const got: number[] = [];
  const t0 = cpuMs();
  for (let i = 0; i < calls; i++) {
    const kind = rec.kind[i] as number;
    const arg = rec.arg[i] as number;
    if (kind === ARRIVE) router.onRequestArrival(arg, 0);
    else if (kind === PREFILL_DONE) router.onPrefillCompleted(arg, 0);
    else if (kind === COMPLETE) router.onRequestCompleted(arg, 0);
    else router.applyKvEvents(arg, rec.logs[i] as KvEventLog);
    const a = router.admissions;
    for (let k = 0; k < a.count; k++)
      got.push(a.requestId[k] as number, a.workerId[k] as number, a.overlapBlocks[k] as number);
    a.clear();
  }
  const spent = cpuMs() - t0;
  for (let k = 0; k < got.length; k++) {
    if (got[k] !== rec.admissions[k])
      throw new Error(`replay diverged from the recording at admission ${Math.floor(k / 3)}`);
  }
  return { cpuMs: spent, admissions: got.length / 3 };
}

function callsForArrivals(rec: Recording, arrivals: number): number {
  let seen = 0;
  for (let i = 0; i < rec.kind.length; i++) {
    if (rec.kind[i] === ARRIVE && ++seen > arrivals) return i;
  }
  return rec.kind.length;
}

function scenario(
  name: string,
  config: KvRouterConfig,
  prefilling: number,
  requestCount: number,
  referenceArrivals: number,
): BenchRow {
  const requests = workload(requestCount, 20260417);
  const rec = record(requests, config, prefilling);
  replay(makeFast(requests, config), rec, rec.kind.length); // warm-up
  let best = Number.POSITIVE_INFINITY;
  let admissions = 0;
  for (let trial = 0; trial < 3; trial++) {
    const run = replay(makeFast(requests, config), rec, rec.kind.length);
    best = Math.min(best, run.cpuMs);
    admissions = run.admissions;
  }
  const fastRate = admissions / (best / 1000);
  const refCalls = callsForArrivals(rec, referenceArrivals);
  const ref = replay(makeReference(requests, config), rec, refCalls);
  const refRate = ref.admissions / (ref.cpuMs / 1000);
  let storedBlocks = 0;
  for (const log of rec.logs) if (log !== null) storedBlocks += log.hashTotal;
  return {
    name,
    unit: "admissions/s",
    value: fastRate,
    baseline: { name: "reference router (Maps, radix tree of objects)", value: refRate },
    ratio: fastRate / refRate,
    note:
      `${admissions} admissions, ${storedBlocks} KV-event blocks, queue up to ${rec.maxPending} per replay ` +
      `(fast: best of 3; reference: ${ref.admissions} admissions, once); both reproduce the recorded admissions; CPU time`,
  };
}

export const suite: BenchSuite = {
  name: "router",
  async run(): Promise<readonly BenchRow[]> {
    return [
      scenario(
        "KV router: 8 workers, ~200-block prompts, default config",
        DEFAULT_ROUTER_CONFIG,
        4,
        6000,
        6000,
      ),
      scenario(
        "KV router: same, temperature 0.5, busy queue (threshold 0.5, wspt)",
        {
          ...DEFAULT_ROUTER_CONFIG,
          router_temperature: 0.5,
          router_queue_threshold: 0.5,
          router_queue_policy: "wspt",
        },
        24,
        6000,
        6000,
      ),
    ];
  },
};
