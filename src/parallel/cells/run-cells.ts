import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { type PlannerConfig, scalingEnabled } from "../../planner/config.js";
import { checkPlannerMode, type PlannerReplayOptions, plannerConfigOf } from "../../replay/planner-replay.js";
import { type KvTiersSection, kvTiersSectionFor } from "../../report/kv-tiers.js";
import type { PlannerSection } from "../../report/planner-result.js";
import { buildReport, type ReplayReport } from "../../report/summary.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import { type ClusterOptionsInput, completeClusterOptions } from "../../sim/cluster/resolve-options.js";
import { RequestCollector } from "../../sim/collector.js";
import { cellTrace, cellTraceBuffers, traceArrivalOriginMs } from "../../sim/workload/trace-subset.js";
import type { TraceColumns } from "../../trace/columns.js";
import { InputError } from "../../util/errors.js";
import { distModulePath } from "../../util/package-root.js";
import { assignCells } from "./cell-assignment.js";
import { CellFaultError, CellsAbortedError } from "./cell-errors.js";
import { cellWorkerCounts, planCellOptions } from "./cell-plan.js";
import {
  ABORT_SLOT,
  type CellHostData,
  type CellSpec,
  type CellTestFault,
  type CoordinatorData,
  type CoordinatorReply,
  CoordinatorReplyTag,
  controlLength,
  replySlot,
} from "./protocol.js";
import { defaultShardKey, formatShardKey, type ShardKey } from "./shard-key.js";

/**
 * A sharded replay (library form of `kvsim replay --cells K`): the trace split into K cells by a shard key, each
 * cell a whole cluster of its own (router and workers, its share of the workers), run on `threads` host threads
 * under one coordinator thread that merges the cells' state at every planner tick. Deterministic: the result is
 * the same for every thread count, and with K = 1 it equals the unsharded replay (runReplay).
 */

export interface CellReplayOptions {
  /** K ≥ 1. */
  readonly cells: number;
  /** Host threads; default min(K, cores). More than K is the same as K (a thread hosts whole cells). */
  readonly threads?: number;
  /** Default: defaultShardKey(trace). */
  readonly shardKey?: ShardKey;
  /** The planner in the loop (as runReplay takes it); null or absent for a plain replay. */
  readonly planner?: PlannerReplayOptions | null;
  /** Aborting stops every thread; the promise rejects with CellsAbortedError. */
  readonly signal?: AbortSignal;
  /** Called once the threads are started, with the shared progress counters (one slot per cell). */
  readonly onStart?: (info: CellRunStart) => void;
  /** Names the trace in input errors (default "trace"). */
  readonly sourceName?: string;
  /** Test-only fault injection. */
  readonly testFault?: CellTestFault;
}

export interface CellRunStart {
  readonly cells: number;
  readonly threads: number;
  readonly shardKey: ShardKey;
  readonly totalRequests: number;
  /** Int32Array over a SharedArrayBuffer: slot k = requests cell k has completed (sum them for progress). */
  readonly counters: Int32Array;
}

/** How the trace and the cluster were split (deterministic; no thread count in it). */
export interface CellLayout {
  readonly count: number;
  readonly shardKey: ShardKey;
  /** Groups the shard key formed (each went whole to one cell). */
  readonly groupCount: number;
  readonly requests: readonly number[];
  /** Σ input + output tokens per cell. */
  readonly tokens: readonly number[];
  /** Starting workers per pool per cell: {agg: […]} or {prefill: […], decode: […]}. */
  readonly workers: Readonly<Record<string, readonly number[]>>;
}

export interface CellReplayRun {
  readonly report: ReplayReport;
  /** The report's kv_tiers section; null when the workers have no host or disk tier. */
  readonly kvTiers: KvTiersSection | null;
  /** Every request's record, in request-id space, worker ids global (cell-ids.ts). */
  readonly collector: RequestCollector;
  readonly planner: PlannerSection | null;
  readonly layout: CellLayout;
  readonly threads: number;
  /** Per cell: time of its last simulated event, ms. */
  readonly cellEndMs: readonly number[];
  /** Per cell: host time spent simulating it, ms (not deterministic; for balance figures). */
  readonly cellBusyMs: readonly number[];
  readonly wallTimeMs: number;
}

function describeWorkers(o: ClusterOptions): string {
  if (o.mode === "agg") return `${o.numWorkers} worker${o.numWorkers === 1 ? "" : "s"}`;
  return `${o.numPrefillWorkers} prefill + ${o.numDecodeWorkers} decode workers`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Checks that run before any thread starts; returns the host thread count. */
function validate(
  trace: TraceColumns,
  options: ClusterOptions,
  cellOptions: CellReplayOptions,
  plannerConfig: PlannerConfig | null,
): number {
  const k = cellOptions.cells;
  const threads = cellOptions.threads ?? Math.min(k, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1)
    throw new InputError(`--threads: must be an integer >= 1 (got ${threads})`);
  if (plannerConfig !== null) {
    checkPlannerMode(plannerConfig, options.mode);
    if (k > 1 && scalingEnabled(plannerConfig) && plannerConfig.minEndpoint < k) {
      throw new InputError(
        `planner config: field "min_endpoint": must be >= ${k} with --cells ${k} (each cell keeps at least one ` +
          `worker per pool, so the planner may not scale below one per cell; got ${plannerConfig.minEndpoint})`,
      );
    }
  }
  if (trace.count === 0)
    throw new InputError(`${cellOptions.sourceName ?? "trace"}: the trace has no requests`);
  return Math.min(threads, k);
}

interface HostSpawn {
  readonly trace: TraceColumns;
  readonly rowsOfCell: readonly Uint32Array[];
  readonly plan: readonly ClusterOptions[];
  readonly origin: number | null;
  readonly cellsOfHost: readonly (readonly number[])[];
  readonly control: Int32Array;
  readonly counters: Int32Array;
  readonly testFault: CellTestFault | null;
}

/**
 * Starts one host thread per slot, each given its cells' trace slices and global ids by transfer (they leave
 * this thread: nothing keeps a second copy). Returns the coordinator's end of each host's channel.
 */
function spawnCellHosts(h: HostSpawn): { threads: Worker[]; ports: MessagePort[] } {
  const threads: Worker[] = [];
  const ports: MessagePort[] = [];
  try {
    h.cellsOfHost.forEach((hosted, slot) => {
      const channel = new MessageChannel();
      ports.push(channel.port1);
      const cells: CellSpec[] = [];
      const transferList: (ArrayBuffer | MessagePort)[] = [channel.port2];
      for (const k of hosted) {
        const rows = h.rowsOfCell[k] as Uint32Array;
        const slice = cellTrace(h.trace, rows, h.origin);
        cells.push({ cell: k, trace: slice, options: h.plan[k] as ClusterOptions, globalIds: rows });
        transferList.push(...cellTraceBuffers(slice), rows.buffer as ArrayBuffer);
      }
      const data: CellHostData = {
        slot,
        cellCount: h.plan.length,
        cells,
        control: h.control,
        progress: h.counters,
        port: channel.port2,
        testFault: h.testFault,
      };
      threads.push(
        new Worker(distModulePath("parallel/cells/cell-host.js"), { workerData: data, transferList }),
      );
    });
  } catch (error) {
    for (const w of threads) void w.terminate();
    throw error;
  }
  return { threads, ports };
}

export async function runCellReplay(
  trace: TraceColumns,
  clusterInput: ClusterOptionsInput,
  cellOptions: CellReplayOptions,
): Promise<CellReplayRun> {
  const started = performance.now();
  const options = completeClusterOptions(clusterInput, trace.traceBlockSize);
  const cellCount = cellOptions.cells;
  if (!Number.isInteger(cellCount) || cellCount < 1)
    throw new InputError(`--cells: must be an integer >= 1 (got ${cellCount})`);
  const plannerConfig =
    cellOptions.planner === undefined || cellOptions.planner === null
      ? null
      : plannerConfigOf(cellOptions.planner);
  const hosts = validate(trace, options, cellOptions, plannerConfig);
  const signal = cellOptions.signal;
  if (signal?.aborted === true) throw new CellsAbortedError();
  const shardKey = cellOptions.shardKey ?? defaultShardKey(trace);
  const sourceName = cellOptions.sourceName ?? "trace";
  const assignment = assignCells(trace, shardKey, cellCount, sourceName);
  const planner = cellOptions.planner ?? null;
  const plan = planCellOptions(options, cellCount).map((o) =>
    planner === null ? o : { ...o, collectFpm: true },
  );
  const layout: CellLayout = {
    count: cellCount,
    shardKey,
    groupCount: assignment.groupCount,
    requests: assignment.rowsOfCell.map((rows) => rows.length),
    tokens: assignment.tokensOfCell,
    workers: cellWorkerCounts(plan),
  };
  const origin = options.concurrency === null ? traceArrivalOriginMs(trace, sourceName) : null;
  const cellsOfHost: number[][] = Array.from({ length: hosts }, () => []);
  for (let k = 0; k < cellCount; k++) (cellsOfHost[k % hosts] as number[]).push(k);

  const control = new Int32Array(new SharedArrayBuffer(4 * controlLength(hosts)));
  const counters = new Int32Array(new SharedArrayBuffer(4 * cellCount));
  const describeCell = (k: number): string =>
    `cell ${k} of ${cellCount} (shard key ${formatShardKey(shardKey)}, ${layout.requests[k]} requests, ` +
    `${describeWorkers(plan[k] as ClusterOptions)})`;

  const { threads, ports: coordinatorPorts } = spawnCellHosts({
    trace,
    rowsOfCell: assignment.rowsOfCell,
    plan,
    origin,
    cellsOfHost,
    control,
    counters,
    testFault: cellOptions.testFault ?? null,
  });
  const coordinatorData: CoordinatorData = {
    ports: coordinatorPorts,
    control,
    cellCount,
    cellsOfHost,
    requestCount: trace.count,
    options,
    planner:
      planner === null || plannerConfig === null
        ? null
        : {
            config: plannerConfig,
            benchmarkGranularity: planner.benchmarkGranularity,
            warmup: planner.warmup ?? null,
            traceName: planner.traceName ?? "synthetic",
          },
  };
  let coordinator: Worker;
  try {
    coordinator = new Worker(distModulePath("parallel/cells/coordinator.js"), {
      workerData: coordinatorData,
      transferList: coordinatorPorts,
    });
  } catch (error) {
    await Promise.all(threads.map((w) => w.terminate()));
    throw error;
  }
  cellOptions.onStart?.({ cells: cellCount, threads: hosts, shardKey, totalRequests: trace.count, counters });

  let settled = false;
  const stopAll = async (): Promise<void> => {
    settled = true;
    Atomics.store(control, ABORT_SLOT, 1);
    for (let t = 0; t < hosts; t++) Atomics.notify(control, replySlot(t));
    Atomics.notify(control, ABORT_SLOT);
    await Promise.all([coordinator, ...threads].map((w) => w.terminate()));
  };

  let onAbort: (() => void) | null = null;
  const outcome = new Promise<CoordinatorReply>((resolve, reject) => {
    const fail = (error: Error): void => {
      if (!settled) reject(error);
      settled = true;
    };
    coordinator.on("message", (reply: CoordinatorReply) => {
      if (settled) return;
      settled = true;
      resolve(reply);
    });
    coordinator.on("error", (error) =>
      fail(
        new CellFaultError(
          `the cells' coordinator thread failed: ${oneLine(error.message)}`,
          null,
          false,
          error.stack ?? "",
        ),
      ),
    );
    coordinator.on("exit", (code) =>
      fail(
        new CellFaultError(
          `the cells' coordinator thread exited unexpectedly (code ${code})`,
          null,
          false,
          "",
        ),
      ),
    );
    threads.forEach((w, t) => {
      const cells = cellsOfHost[t] as number[];
      const who = `cell thread ${t} (hosting ${cells.map(describeCell).join("; ")})`;
      const only = cells.length === 1 ? (cells[0] as number) : null;
      w.on("error", (error) =>
        fail(new CellFaultError(`${who} failed: ${oneLine(error.message)}`, only, false, error.stack ?? "")),
      );
      w.on("exit", (code) =>
        fail(new CellFaultError(`${who} died: exited with code ${code}`, only, false, "")),
      );
    });
    if (signal !== undefined) {
      onAbort = () => fail(new CellsAbortedError());
      signal.addEventListener("abort", onAbort, { once: true });
      if (signal.aborted) onAbort(); // aborted from onStart, before the listener existed
    }
  });

  let reply: CoordinatorReply;
  try {
    reply = await outcome;
  } finally {
    if (onAbort !== null) signal?.removeEventListener("abort", onAbort);
    await stopAll();
  }
  if (reply.tag === CoordinatorReplyTag.Failed) {
    const where = reply.cell === null ? "the sharded replay" : describeCell(reply.cell);
    throw new CellFaultError(
      `${where} failed: ${oneLine(reply.message)}`,
      reply.cell,
      reply.inputError,
      reply.stack,
    );
  }
  const collector = RequestCollector.fromState(reply.collector);
  const wallTimeMs = performance.now() - started;
  return {
    report: buildReport(collector, trace, wallTimeMs),
    kvTiers: kvTiersSectionFor(collector, trace, options),
    collector,
    planner: reply.planner,
    layout,
    threads: hosts,
    cellEndMs: reply.cellEndMs,
    cellBusyMs: reply.cellBusyMs,
    wallTimeMs,
  };
}
