// Random small cluster scenarios for the fast-vs-reference cluster property, and the runner that replays one
// scenario on both clusters and returns what must agree.
import fc from "fast-check";
import type { ClusterSeams } from "../../src/sim/cluster/cluster-engine.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { type ClusterOptionsInput, resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { RequestCollector } from "../../src/sim/collector.js";
import { EngineWorker } from "../../src/sim/engine/engine-worker.js";
import type { TraceColumns } from "../../src/trace/columns.js";
import { referenceClusterSeams } from "../oracles/reference-cluster.js";

/** Small liveness limits so tiny pools that livelock end quickly (and identically) on both engines. */
const LIMITS = {
  zeroTimeStreakLimit: 40,
  tokenlessPassLimit: 2500,
  livelockMinPasses: 200,
  livelockWorkFactor: 8,
} as const;

/** A collector that also keeps every token time of every request. */
export class RecordingCollector extends RequestCollector {
  readonly tokenTimesMs: number[][];

  constructor(requestCount: number) {
    super(requestCount);
    this.tokenTimesMs = Array.from({ length: requestCount }, () => []);
  }

  override onToken(id: number, nowMs: number): void {
    super.onToken(id, nowMs);
    (this.tokenTimesMs[id] as number[]).push(nowMs);
  }

  override onTokens(ids: Int32Array, count: number, nowMs: number): void {
    super.onTokens(ids, count, nowMs);
    for (let i = 0; i < count; i++) (this.tokenTimesMs[ids[i] as number] as number[]).push(nowMs);
  }

  override onTokenRun(ids: Int32Array, count: number, endsMs: Float64Array, passes: number): void {
    super.onTokenRun(ids, count, endsMs, passes);
    for (let j = 0; j < passes; j++)
      for (let i = 0; i < count; i++)
        (this.tokenTimesMs[ids[i] as number] as number[]).push(endsMs[j] as number);
  }
}

interface RequestSpec {
  readonly islTraceBlocks: number;
  readonly islTrim: number;
  readonly osl: number;
  readonly group: number;
  readonly sharedBlocks: number;
  readonly gapMs: number;
  readonly session: number;
  readonly delayMs: number;
  readonly unique: number;
}

export interface ClusterScenario {
  readonly traceBlockSize: number;
  readonly requests: readonly RequestSpec[];
  readonly sessions: boolean;
  readonly input: ClusterOptionsInput;
  /** (advance to atMs, then scale to prefill / decode targets). */
  readonly scaling: readonly (readonly [number, number, number])[];
}

const requestArb = fc.record({
  islTraceBlocks: fc.integer({ min: 1, max: 4 }),
  islTrim: fc.nat({ max: 40 }),
  osl: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 90 })),
  group: fc.integer({ min: 0, max: 2 }),
  sharedBlocks: fc.integer({ min: 0, max: 4 }),
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 300 })),
  session: fc.integer({ min: -1, max: 3 }),
  delayMs: fc.integer({ min: 0, max: 60 }),
  unique: fc.integer({ min: 1, max: 1_000_000 }),
});

/** Mixed scenarios: every knob at random; `crowded` packs arrivals and shrinks pools and budgets. */
export function clusterScenarioArb(crowded: boolean): fc.Arbitrary<ClusterScenario> {
  return fc
    .record({
      bs: fc.constantFrom(16, 32),
      traceBlocksPerEngineBlock: fc.constantFrom(1, 2),
      requests: fc.array(requestArb, { minLength: 1, maxLength: crowded ? 14 : 10 }),
      sessions: fc.boolean(),
      disagg: fc.boolean(),
      workers: fc.integer({ min: 1, max: 3 }),
      decodeWorkers: fc.integer({ min: 1, max: 2 }),
      kv: fc.constantFrom(true, true, false),
      extraBlocks: crowded ? fc.integer({ min: 0, max: 4 }) : fc.integer({ min: 0, max: 30 }),
      budget: crowded
        ? fc.integer({ min: 8, max: 120 })
        : fc.oneof(fc.constant(null), fc.integer({ min: 8, max: 400 })),
      maxNumSeqs: fc.integer({ min: 1, max: 6 }),
      chunked: crowded ? fc.constant(true) : fc.boolean(),
      prefixCaching: fc.constantFrom(true, true, false),
      lifo: fc.boolean(),
      handoff: fc.boolean(),
      temperature: fc.constantFrom(0, 0, 0.6),
      threshold: fc.constantFrom(null, null, 0.5, 2),
      trackActive: fc.boolean(),
      assumeReuse: fc.boolean(),
      concurrency: fc.constantFrom(null, null, null, 1, 3),
      speedup: fc.constantFrom(1, 1, 4),
      startupS: fc.constantFrom(0, 0, 0.05),
      scaling: fc.array(
        fc.tuple(
          fc.integer({ min: 0, max: 600 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
        ),
        { maxLength: 3 },
      ),
      seed: fc.nat(),
    })
    .map((c): ClusterScenario => {
      const tbs = c.bs * c.traceBlocksPerEngineBlock;
      const outOf = (r: RequestSpec): number => r.osl;
      const islOf = (r: RequestSpec): number => Math.max(1, r.islTraceBlocks * tbs - r.islTrim);
      // Tiny pools force eviction and preemption, but every request must fit a worker alone.
      const need = Math.max(...c.requests.map((r) => Math.ceil((islOf(r) + outOf(r)) / c.bs)));
      // Without chunking a prompt longer than the budget is never scheduled (a dead end, not worth a run).
      const maxIsl = Math.max(...c.requests.map(islOf));
      const budget = c.chunked || c.budget === null ? c.budget : Math.max(c.budget, maxIsl);
      const engine = {
        block_size: c.bs,
        num_gpu_blocks: need + c.extraBlocks,
        max_num_batched_tokens: budget,
        max_num_seqs: c.maxNumSeqs,
        enable_chunked_prefill: c.chunked,
        enable_prefix_caching: c.prefixCaching,
        preemption_mode: c.lifo ? "lifo" : "fifo",
        startup_time: c.startupS,
      };
      const input: ClusterOptionsInput = {
        mode: c.disagg ? "disagg" : "agg",
        numWorkers: c.workers,
        numPrefillWorkers: c.workers,
        numDecodeWorkers: c.decodeWorkers,
        routerMode: c.kv ? "kv" : "round_robin",
        routerConfig: {
          router_temperature: c.temperature,
          router_queue_threshold: c.threshold,
          router_track_active_blocks: c.trackActive,
          router_assume_kv_reuse: c.assumeReuse,
        },
        engineArgs: engine,
        prefillEngineArgs: {
          ...engine,
          kv_transfer_bandwidth: c.handoff ? 2 : null,
          kv_bytes_per_token: c.handoff ? 5e5 : null,
        },
        decodeEngineArgs: engine,
        arrivalSpeedupRatio: c.speedup,
        concurrency: c.concurrency,
        seed: c.seed,
        checkInvariants: true,
      };
      const scaling = [...c.scaling].sort((a, b) => a[0] - b[0]);
      return { traceBlockSize: tbs, requests: c.requests, sessions: c.sessions, input, scaling };
    });
}

/** The scenario's trace: shared prefixes by group, optional sessions with think times, arrivals ascending. */
export function scenarioTrace(s: ClusterScenario): TraceColumns {
  const n = s.requests.length;
  const tbs = s.traceBlockSize;
  const ids: number[] = [];
  const hashOffsets = new Uint32Array(n + 1);
  const arrivalMs = new Float64Array(n);
  const inputTokens = new Uint32Array(n);
  const outputTokens = new Uint32Array(n);
  const sessionIndex = new Int32Array(n).fill(-1);
  const delayMs = new Float64Array(n).fill(Number.NaN);
  const seenSession = new Set<number>();
  let t = 0;
  s.requests.forEach((r, i) => {
    t += r.gapMs;
    arrivalMs[i] = t;
    inputTokens[i] = Math.max(1, r.islTraceBlocks * tbs - r.islTrim);
    outputTokens[i] = r.osl;
    for (let k = 0; k < r.islTraceBlocks; k++)
      ids.push(k < r.sharedBlocks ? 7_000_000 + r.group * 100 + k : r.unique * 16 + k);
    hashOffsets[i + 1] = ids.length;
    if (s.sessions && r.session >= 0) {
      sessionIndex[i] = r.session;
      if (seenSession.has(r.session)) delayMs[i] = r.delayMs;
      seenSession.add(r.session);
    }
  });
  return {
    count: n,
    traceBlockSize: tbs,
    arrivalMs,
    inputTokens,
    outputTokens,
    hashOffsets,
    hashIds: Float64Array.from(ids),
    sessionIndex,
    sessionNames: s.sessions ? ["0", "1", "2", "3"] : [],
    delayMs,
    sourceLine: Uint32Array.from({ length: n }, (_, i) => i + 1),
    sourceChecksum: "scenario",
  };
}

export interface RequestRecord {
  readonly arrivalMs: number;
  readonly firstAdmitMs: number;
  readonly tokenTimesMs: readonly number[];
  readonly workerId: number;
  readonly reusedTokens: number;
  readonly preemptions: number;
}

export interface ClusterOutcome {
  readonly error: string | null;
  readonly requests: readonly RequestRecord[];
  readonly advances: readonly (readonly [number, boolean])[];
  readonly itl: readonly number[];
  readonly rate: readonly number[];
}

/** The fast cluster with the scenarios' small liveness limits and a token-recording collector. */
export const fastSeams: ClusterSeams = {
  createEngine: (spec) =>
    new EngineWorker({
      id: spec.id,
      role: spec.role,
      args: spec.args,
      passTime: spec.passTime,
      requests: spec.requests,
      checkInvariants: spec.checkInvariants,
      computeFpm: spec.computeFpm,
      ...LIMITS,
    }),
  createCollector: (n) => new RecordingCollector(n),
};

const referenceSeams: ClusterSeams = {
  ...referenceClusterSeams(LIMITS),
  createCollector: (n) => new RecordingCollector(n),
};

/** Replays the scenario on one cluster (fast or reference) and returns everything the two must agree on. */
export function runScenario(s: ClusterScenario, reference: boolean): ClusterOutcome {
  const trace = scenarioTrace(s);
  const options = resolveClusterOptions(s.input, trace.traceBlockSize);
  const advances: [number, boolean][] = [];
  let error: string | null = null;
  let sim: ClusterSimulation | null = null;
  try {
    sim = new ClusterSimulation(trace, options, reference ? referenceSeams : fastSeams);
    for (const [atMs, prefill, decode] of s.scaling) {
      const r = sim.advanceTo(atMs);
      advances.push([r.lastEventMs, r.isDone]);
      if (r.isDone) break;
      sim.applyScaling(prefill, decode);
    }
    const r = sim.advanceTo(Number.POSITIVE_INFINITY);
    advances.push([r.lastEventMs, r.isDone]);
  } catch (e) {
    error = (e as Error).message;
  }
  const c = sim?.collector as RecordingCollector | undefined;
  const requests: RequestRecord[] = [];
  if (c !== undefined) {
    for (let i = 0; i < trace.count; i++) {
      requests.push({
        arrivalMs: c.arrivalMs[i] as number,
        firstAdmitMs: c.firstAdmitMs[i] as number,
        tokenTimesMs: c.tokenTimesMs[i] as number[],
        workerId: c.workerId[i] as number,
        reusedTokens: c.reusedTokens[i] as number,
        preemptions: c.preemptions[i] as number,
      });
    }
  }
  const m = (x: RequestCollector["itlMoments"]) => [x.count, x.min, x.max, x.sum, x.sumOfSquares];
  // The histogram's own float sum (export slot 5) depends on the order tokens were recorded in and is never
  // reported (ExactMoments gives the exact sums), so only its count, min, max and buckets are compared.
  const buckets = (h: RequestCollector["itlHistogram"]) =>
    Array.from(h.toFloat64Array()).flatMap((v, i) => (v === 0 || i === 5 ? [] : [i, v]));
  return {
    error,
    requests,
    advances,
    itl: c === undefined ? [] : [...m(c.itlMoments), c.itlMoments.populationStd, ...buckets(c.itlHistogram)],
    rate: c === undefined ? [] : [...m(c.rateMoments), ...buckets(c.rateHistogram)],
  };
}

/** Host and disk KV tier sizes and bandwidths for tiny scenario pools (tiers need kv_bytes_per_token). */
export const kvTierSizesArb = fc.record({
  hostBlocks: fc.constantFrom(0, 1, 3, 12, 64),
  hostGbPerS: fc.constantFrom(0.001, 0.05, 2, 1e6),
  diskBlocks: fc.constantFrom(0, 0, 2, 30),
  diskGbPerS: fc.constantFrom(0.001, 0.3, 1e6),
});

export type KvTierSizes = typeof kvTierSizesArb extends fc.Arbitrary<infer T> ? T : never;

/** The scenario with the tiers on its agg and prefill workers (unchanged when prefix caching is off). */
export function withKvTiers(s: ClusterScenario, t: KvTierSizes): ClusterScenario {
  const tiers = {
    kv_bytes_per_token: 5e5,
    host_kv_blocks: t.hostBlocks,
    host_kv_bandwidth: t.hostGbPerS,
    disk_kv_blocks: t.diskBlocks,
    disk_kv_bandwidth: t.diskGbPerS,
  };
  const input = s.input;
  const engine = input.engineArgs as Record<string, unknown>;
  const prefill = input.prefillEngineArgs as Record<string, unknown>;
  // A tier needs prefix caching; the scenarios sometimes turn it off (a tier then is refused).
  if (engine.enable_prefix_caching === false) return s;
  return {
    ...s,
    input: { ...input, engineArgs: { ...engine, ...tiers }, prefillEngineArgs: { ...prefill, ...tiers } },
  };
}
