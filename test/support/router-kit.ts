import { Prng } from "../../native-free-kernels/prng.js";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { RequestTable } from "../../src/sim/request-table.js";
import { KvRouter } from "../../src/sim/router/kv-router.js";
import { DEFAULT_ROUTER_CONFIG, type KvRouterConfig } from "../../src/sim/router/router-config.js";
import type { TraceColumns } from "../../src/trace/columns.js";

/**
 * Router test fixtures. A row is a prompt of `isl` tokens whose leading trace blocks carry `ids` (the rest get
 * ids unique to the row); the trace block size is `perTrace` engine blocks (default 1), so two rows share
 * engine block j iff they share ids[0..⌊j / perTrace⌋].
 */
export interface Row {
  readonly isl: number;
  readonly ids?: readonly number[];
  readonly out?: number;
}

export function makeRequests(rows: readonly Row[], blockSize: number, perTrace = 1): RequestTable {
  const offsets = new Uint32Array(rows.length + 1);
  const ids: number[] = [];
  const traceBlockSize = blockSize * perTrace;
  rows.forEach((row, i) => {
    const blocks = Math.ceil(row.isl / traceBlockSize);
    for (let j = 0; j < blocks; j++) ids.push(row.ids?.[j] ?? 1_000_000 + i * 10_000 + j);
    offsets[i + 1] = ids.length;
  });
  const n = rows.length;
  const trace: TraceColumns = {
    count: n,
    traceBlockSize,
    arrivalMs: new Float64Array(n),
    inputTokens: Uint32Array.from(rows.map((r) => r.isl)),
    outputTokens: Uint32Array.from(rows.map((r) => r.out ?? 8)),
    hashOffsets: offsets,
    hashIds: Float64Array.from(ids),
    sessionIndex: new Int32Array(n).fill(-1),
    sessionNames: [],
    delayMs: new Float64Array(n).fill(Number.NaN),
    sourceLine: Uint32Array.from(rows.map((_, i) => i + 1)),
    sourceChecksum: "test",
  };
  const table = new RequestTable(trace, blockSize);
  for (let i = 0; i < n; i++) table.materialize(i);
  return table;
}

/** A log holding one Stored event of hashes[from..to) under hashes[from−1] (the root when from = 0). */
export function storedEvent(hashes: ArrayLike<number>, from: number, to: number): KvEventLog {
  const log = new KvEventLog();
  log.pushStored(from === 0 ? Number.NaN : (hashes[from - 1] as number), hashes, from, to);
  return log;
}

export function removedEvent(...hashes: number[]): KvEventLog {
  const log = new KvEventLog();
  for (const h of hashes) log.pushRemoved(h);
  return log;
}

export interface RouterSetup {
  readonly config?: Partial<KvRouterConfig>;
  readonly blockSize?: number;
  readonly maxNumBatchedTokens?: number;
  readonly seed?: number;
  readonly useReplayHashes?: boolean;
  readonly workers?: number;
}

export function makeRouter(requests: RequestTable, setup: RouterSetup = {}): KvRouter {
  const router = new KvRouter({
    config: { ...DEFAULT_ROUTER_CONFIG, ...setup.config },
    blockSize: setup.blockSize ?? requests.engineBlockSize,
    maxNumBatchedTokens: setup.maxNumBatchedTokens ?? 8192,
    totalKvBlocks: 1000,
    requests,
    rng: new Prng(setup.seed ?? 1),
    useReplayHashes: setup.useReplayHashes ?? true,
  });
  for (let w = 0; w < (setup.workers ?? 2); w++) router.addWorker(w, 0);
  return router;
}

/** The admissions recorded since the last call, as [request, worker, overlapBlocks, islBlocks] rows; clears. */
export function takeAdmissions(router: {
  admissions: {
    count: number;
    requestId: Int32Array;
    workerId: Int32Array;
    overlapBlocks: Int32Array;
    islBlocks: Int32Array;
    clear(): void;
  };
}): number[][] {
  const a = router.admissions;
  const rows: number[][] = [];
  for (let i = 0; i < a.count; i++) {
    rows.push([
      a.requestId[i] as number,
      a.workerId[i] as number,
      a.overlapBlocks[i] as number,
      a.islBlocks[i] as number,
    ]);
  }
  a.clear();
  return rows;
}
