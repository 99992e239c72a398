import { freemem, totalmem } from "node:os";
import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import type { EngineArgs } from "../sim/engine/engine-args.js";
import { InputError } from "../util/errors.js";

/**
 * How much memory a run will need, estimated from its options before anything big is allocated, and the refusal
 * when that exceeds what the machine has (docs/limits.md#memory). The coefficients are peak RSS measured with
 * `/usr/bin/time -v` on the development machine (Node 20, x86-64), each a slight over-estimate of its figure:
 *
 *   node, code and V8 baseline           ~80 MB   (replay of 300 requests on one 1,000-block worker: 78 MB)
 *   per trace request in a replay        ~1 kB    (collector, request table, router and queue columns:
 *                                                 synthetic 10k → 50k → 200k requests: 104 → 148 → 289 MB)
 *   per trace hash id                    16 B     (the column, plus engine hashes while in flight)
 *   per worker                           80 kB    (scheduler, slots, router entries: 400 workers × 1,024
 *                                                 blocks 133 MB, 1,600 × 1,024 288 MB)
 *   per KV block of a worker             50 B     (pool records and free list at start, its table as it fills;
 *                                                 round robin, one worker of 4M blocks: 278 MB)
 *   KV router prefix index               70 B × one worker's blocks, at the first KV events (one worker of
 *                                                 4M blocks, KV router: 571 MB)
 *   per block a run actually fills       100 B    (pool key and table slot, router index node), at most the
 *                                                 trace's Σ ⌈(isl + osl) / block_size⌉ over all workers
 *   host/disk KV tiers (issue 15)         16 B × min(host + disk blocks, 2¹⁸) per worker (the table reserved at
 *                                                 start) + 60 B per block the tiers actually hold, at most
 *                                                 the trace's blocks (agg 8 workers, host 65,536 + disk 262,144
 *                                                 each, whole conversation trace: 237 MB peak against 109 MB without; estimate 292 MB)
 *   per extra thread                     40 MB    (a V8 isolate with its modules and a trace slice: --cells 64
 *                                                 --threads 64 on 300 requests, ~2.3 GB)
 *   synthesis: per row 80 B, per hash id 20 B      (trace synth 1M rows × 4 ids: 233 MB; 4M: 681 MB;
 *                                                 1M × 40 ids: 939 MB)
 *   per sweep point                      4 kB     (point, row, its JSONL/CSV/FlatBuffers text)
 *
 * Against the measured runs the estimate is within 0.9–1.5× (docs/limits.md lists them). The budget is 80 % of
 * the machine's memory (the cgroup limit in a container, if lower), and at most 90 % of what is available now.
 */

export const BASE_BYTES = 80e6;
const PER_REQUEST_BYTES = 1024;
const PER_HASH_ID_BYTES = 16;
const PER_WORKER_BYTES = 80e3;
const PER_BLOCK_BYTES = 50;
const KV_INDEX_PER_BLOCK_BYTES = 70;
const PER_FILLED_BLOCK_BYTES = 100;
const TIER_TABLE_RESERVE_ENTRIES = 2 ** 18;
const TIER_RESERVED_ENTRY_BYTES = 16;
const PER_TIER_BLOCK_BYTES = 60;
export const PER_THREAD_BYTES = 40e6;
const SYNTH_PER_ROW_BYTES = 80;
const SYNTH_PER_HASH_ID_BYTES = 20;
const PER_SWEEP_POINT_BYTES = 4096;

/** The flag that skips the check, named in every refusal. */
export const ALLOW_LARGE_MEMORY_FLAG = "--allow-large-memory";
/** Environment override of the budget (bytes, or with a k/M/G/T suffix): containers whose limit is not visible. */
export const MEMORY_BUDGET_ENV = "KVSIM_MEMORY_BUDGET";

/** What a replay's estimate needs to know about its trace. */
export interface TraceSize {
  readonly count: number;
  /** Trace hash ids (the hash_ids column's length). */
  readonly hashIds: number;
  /** Σ (input + output tokens) over the requests: bounds the KV blocks the run can fill. */
  readonly tokens: number;
}

export function traceSize(trace: {
  readonly count: number;
  readonly hashIds: { readonly length: number };
  readonly inputTokens: ArrayLike<number>;
  readonly outputTokens: ArrayLike<number>;
}): TraceSize {
  let tokens = 0;
  for (let i = 0; i < trace.count; i++)
    tokens += (trace.inputTokens[i] as number) + (trace.outputTokens[i] as number);
  return { count: trace.count, hashIds: trace.hashIds.length, tokens };
}

/** One pool: its worker count, engine args, and whether a KV router indexes its blocks. */
interface PoolShape {
  readonly workers: number;
  readonly args: EngineArgs;
  readonly kvIndexed: boolean;
  /** Decode workers have no host/disk tiers (docs/design.md#kv-tiers), whatever their args say. */
  readonly tiered: boolean;
}

function poolsOf(options: ClusterOptions, workersAtLeast: number): PoolShape[] {
  const kv = options.routerMode === "kv";
  const n = (count: number): number => Math.max(count, workersAtLeast);
  return options.mode === "agg"
    ? [{ workers: n(options.numWorkers), args: options.engineArgs, kvIndexed: kv, tiered: true }]
    : [
        {
          workers: n(options.numPrefillWorkers),
          args: options.prefillEngineArgs,
          kvIndexed: kv,
          tiered: true,
        },
        // The disagg decode router gets no KV events (docs/design.md#disagg-handoff): no index.
        {
          workers: n(options.numDecodeWorkers),
          args: options.decodeEngineArgs,
          kvIndexed: false,
          tiered: false,
        },
      ];
}

/** Bytes of a pool's host and disk KV tiers: the tables reserved at start and the blocks they can come to hold. */
function tierBytes(pool: PoolShape, traceBlocks: number): number {
  const tierBlocks = pool.args.host_kv_blocks + pool.args.disk_kv_blocks;
  if (!pool.tiered || tierBlocks === 0) return 0;
  const reserved = Math.min(tierBlocks, TIER_TABLE_RESERVE_ENTRIES) * TIER_RESERVED_ENTRY_BYTES;
  return pool.workers * reserved + Math.min(pool.workers * tierBlocks, traceBlocks) * PER_TIER_BLOCK_BYTES;
}

/** Bytes of the simulation state of one replay beyond the base (pools, workers, requests). */
function simulationBytes(options: ClusterOptions, trace: TraceSize, workersAtLeast: number): number {
  let bytes = trace.count * PER_REQUEST_BYTES + trace.hashIds * PER_HASH_ID_BYTES;
  for (const pool of poolsOf(options, workersAtLeast)) {
    const blocks = pool.args.num_gpu_blocks;
    bytes += pool.workers * (PER_WORKER_BYTES + blocks * PER_BLOCK_BYTES);
    if (pool.kvIndexed) bytes += blocks * KV_INDEX_PER_BLOCK_BYTES;
    const traceBlocks = trace.tokens / pool.args.block_size + trace.count;
    bytes += Math.min(pool.workers * blocks, traceBlocks) * PER_FILLED_BLOCK_BYTES;
    bytes += tierBytes(pool, traceBlocks);
  }
  return bytes;
}

export interface ReplayMemoryInput {
  readonly options: ClusterOptions;
  readonly trace: TraceSize;
  /** Threads beyond the main one (cells: hosts + coordinator); 0 for a plain replay. */
  readonly extraThreads?: number;
  /** Workers per pool a planner starts with or must keep (min_endpoint), when more than the options give. */
  readonly workersAtLeast?: number;
}

export function replayMemoryBytes(input: ReplayMemoryInput): number {
  const threads = input.extraThreads ?? 0;
  return (
    BASE_BYTES +
    threads * PER_THREAD_BYTES +
    simulationBytes(input.options, input.trace, input.workersAtLeast ?? 0)
  );
}

/** A synthesized trace of `rows` rows holding `hashIds` ids in all (generation and the JSONL writer). */
export function synthMemoryBytes(rows: number, hashIds: number): number {
  return BASE_BYTES + rows * SYNTH_PER_ROW_BYTES + hashIds * SYNTH_PER_HASH_ID_BYTES;
}

export interface SweepMemoryInput {
  readonly points: number;
  readonly threads: number;
  /** The traces' total size (shared by every thread). */
  readonly traces: TraceSize;
  /** The largest simulation among the points (simulationBytes of its options and trace). */
  readonly largestPointBytes: number;
}

/** Simulation bytes of one sweep point (for SweepMemoryInput.largestPointBytes). */
export function pointSimulationBytes(options: ClusterOptions, trace: TraceSize, workersAtLeast = 0): number {
  return simulationBytes(options, trace, workersAtLeast);
}

export function sweepMemoryBytes(input: SweepMemoryInput): number {
  return (
    BASE_BYTES +
    input.traces.hashIds * PER_HASH_ID_BYTES +
    input.points * PER_SWEEP_POINT_BYTES +
    input.threads * (PER_THREAD_BYTES + input.largestPointBytes)
  );
}

export interface MemoryBudget {
  readonly bytes: number;
  /** Where the figure came from, for the message. */
  readonly source: string;
}

const SUFFIX: Readonly<Record<string, number>> = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };

function parseBytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(text);
  if (m === null) return null;
  return Number(m[1]) * (SUFFIX[(m[2] as string).toLowerCase()] as number);
}

/**
 * 80 % of the machine's memory (or of the cgroup limit, if lower), and at most 90 % of what is available now;
 * KVSIM_MEMORY_BUDGET overrides it.
 */
export function memoryBudget(env: NodeJS.ProcessEnv): MemoryBudget {
  const override = env[MEMORY_BUDGET_ENV];
  if (override !== undefined && override !== "") {
    const bytes = parseBytes(override);
    if (bytes === null)
      throw new InputError(
        `${MEMORY_BUDGET_ENV}: "${override}" is not a byte count (e.g. 8G, 512M, 1000000)`,
      );
    return { bytes, source: MEMORY_BUDGET_ENV };
  }
  const total = totalmem();
  const constrained = typeof process.constrainedMemory === "function" ? process.constrainedMemory() : 0;
  const limit = constrained > 0 && constrained < total ? constrained : total;
  const available = freemem();
  const byLimit = 0.8 * limit;
  const byAvailable = 0.9 * available;
  return byAvailable < byLimit
    ? { bytes: byAvailable, source: `90 % of the ${formatBytes(available)} available` }
    : {
        bytes: byLimit,
        source: `80 % of the ${formatBytes(limit)} ${limit === total ? "of memory" : "memory limit"}`,
      };
}

/** 5.6 GB, 640 MB, 12 kB (decimal units, as free(1) -h --si). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Refuses a run whose estimate exceeds the budget, with one line: what needs the memory, the estimate, the
 * budget and its source, and the way out. `allowed` (the override flag) skips the check.
 */
export function checkMemory(
  estimateBytes: number,
  what: string,
  budget: MemoryBudget,
  allowed: boolean,
): void {
  if (allowed || estimateBytes <= budget.bytes) return;
  throw new InputError(
    `${what} needs about ${formatBytes(estimateBytes)} of memory, more than the ${formatBytes(budget.bytes)} ` +
      `budget (${budget.source}); make it smaller, or pass ${ALLOW_LARGE_MEMORY_FLAG} to run anyway ` +
      "(docs/limits.md#memory)",
  );
}
