import { workerData } from "node:worker_threads";
import { ClusterSimulation } from "../../sim/cluster/cluster-simulation.js";
import { isInputError } from "../../util/errors.js";
import { encodeShardResult } from "../schema/shard-result-file.js";
import { encodeView } from "./cell-view.js";
import {
  type CellCommand,
  CellCommandTag,
  type CellHostData,
  type CellReply,
  CellReplyTag,
  type CellSpec,
  type FailedReply,
  replySlot,
} from "./protocol.js";

/**
 * Cell host: the entry of one sharded-replay thread (runs compiled, dist/src/parallel/cells/cell-host.js). It owns
 * the ClusterSimulations of its cells for the whole run — stateful, so node:worker_threads directly rather than
 * piscina, whose tasks are stateless — and answers one command at a time from the coordinator (protocol.ts):
 * run the command over its cells in cell order, post one reply, bump its reply counter and notify.
 *
 * Progress: each cell stores its completed-request count in its slot of the shared progress block (Atomics.store
 * every 64 completions and at the end); the main thread's progress bar polls the block. No message carries it.
 */

/** Completions between two progress stores (a store costs ~10 ns; a message would cost ~100 µs). */
const PROGRESS_EVERY = 64;

interface HostedCell {
  readonly spec: CellSpec;
  sim: ClusterSimulation | null;
  lastEventMs: number;
  busyMs: number;
}

const data = workerData as CellHostData;
const cells: HostedCell[] = data.cells.map((spec) => ({ spec, sim: null, lastEventMs: 0, busyMs: 0 }));
const { control, progress, port } = data;
let faultArmed = data.testFault;

function simOf(c: HostedCell): ClusterSimulation {
  if (c.sim !== null) return c.sim;
  const sim = new ClusterSimulation(c.spec.trace, c.spec.options);
  const slot = c.spec.cell;
  sim.onProgress(PROGRESS_EVERY, (done) => Atomics.store(progress, slot, done));
  c.sim = sim;
  return sim;
}

function injectFault(c: HostedCell): void {
  if (faultArmed === null || faultArmed.cell !== c.spec.cell) return;
  const kind = faultArmed.kind;
  faultArmed = null;
  if (kind === "exit") process.exit(70); // ends this thread only (worker_threads semantics)
  throw new Error(`injected fault in cell ${c.spec.cell}`);
}

function views(transfer: ArrayBuffer[]): CellReply {
  const out: Float64Array[] = [];
  for (const c of cells) {
    const v = encodeView(simOf(c), c.lastEventMs);
    out.push(v);
    transfer.push(v.buffer as ArrayBuffer);
  }
  return { tag: CellReplyTag.Views, views: out };
}

function hoursOf(sim: ClusterSimulation, transfer: ArrayBuffer[]): Float64Array {
  const hours = new Float64Array(sim.stages.length);
  for (let s = 0; s < hours.length; s++) hours[s] = sim.workerHours(s);
  transfer.push(hours.buffer as ArrayBuffer);
  return hours;
}

function finish(transfer: ArrayBuffer[]): CellReply {
  const results: Uint8Array[] = [];
  const hours: Float64Array[] = [];
  for (const c of cells) {
    const sim = simOf(c);
    Atomics.store(progress, c.spec.cell, sim.completed);
    const bytes = encodeShardResult({
      shardIndex: c.spec.cell,
      shardCount: data.cellCount,
      traceChecksum: c.spec.trace.sourceChecksum,
      globalIds: c.spec.globalIds,
      collector: sim.collector.exportState(),
      traffic: sim.traffic.toFloat64Array(),
      wallTimeMs: c.busyMs,
      metadata: {
        kind: "kvsim cell",
        cell: c.spec.cell,
        cells: data.cellCount,
        seed: c.spec.options.seed,
        requests: c.spec.trace.count,
        completed: sim.completed,
        last_event_ms: c.lastEventMs,
      },
    }).slice(); // the builder's view sits inside a larger buffer: copy to an exact-size one before transferring
    results.push(bytes);
    transfer.push(bytes.buffer as ArrayBuffer);
    hours.push(hoursOf(sim, transfer));
  }
  return { tag: CellReplyTag.Finished, results, hours };
}

function run(command: CellCommand, transfer: ArrayBuffer[], current: { cell: number }): CellReply {
  switch (command.tag) {
    case CellCommandTag.Snapshot:
      for (const c of cells) {
        current.cell = c.spec.cell;
        simOf(c);
      }
      return views(transfer);
    case CellCommandTag.Advance:
      for (const c of cells) {
        current.cell = c.spec.cell;
        const started = performance.now();
        injectFault(c);
        c.lastEventMs = simOf(c).advanceTo(command.untilMs).lastEventMs;
        c.busyMs += performance.now() - started;
      }
      return views(transfer);
    case CellCommandTag.DrainTraffic: {
      const traffic: Float64Array[] = [];
      for (const c of cells) {
        current.cell = c.spec.cell;
        const sim = simOf(c);
        const sums = sim.traffic.toFloat64Array();
        sim.drainTraffic();
        traffic.push(sums);
        transfer.push(sums.buffer as ArrayBuffer);
      }
      return { tag: CellReplyTag.Traffic, traffic };
    }
    case CellCommandTag.ApplyScaling:
      cells.forEach((c, i) => {
        current.cell = c.spec.cell;
        simOf(c).applyScaling(command.targets[2 * i] as number, command.targets[2 * i + 1] as number);
      });
      return views(transfer);
    case CellCommandTag.Finish:
      return finish(transfer);
    case CellCommandTag.WorkerHours:
      return { tag: CellReplyTag.Hours, hours: cells.map((c) => hoursOf(simOf(c), transfer)) };
    default:
      throw new Error(`cell host: unknown command tag ${(command as { tag: unknown }).tag}`);
  }
}

/**
 * The simulation names requests by their row in the cell's trace ("request 12"); the user knows them by their
 * row in the whole trace. Line numbers need no rewriting: a cell's trace keeps its rows' source lines.
 */
function withGlobalRequestIds(message: string, cell: number): string {
  const ids = cells.find((c) => c.spec.cell === cell)?.spec.globalIds;
  if (ids === undefined || data.cellCount === 1) return message;
  return message.replace(/\brequest (\d+)\b/g, (text, local: string) => {
    const global = ids[Number(local)];
    return global === undefined ? text : `request ${global}`;
  });
}

function failed(cell: number, error: unknown): FailedReply {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    tag: CellReplyTag.Failed,
    cell,
    errorName: e.name,
    message: withGlobalRequestIds(e.message, cell),
    inputError: isInputError(e),
    stack: e.stack ?? e.message,
  };
}

port.on("message", (command: CellCommand) => {
  const transfer: ArrayBuffer[] = [];
  const current = { cell: cells[0]?.spec.cell ?? -1 };
  let reply: CellReply;
  try {
    reply = run(command, transfer, current);
  } catch (error) {
    reply = failed(current.cell, error);
    transfer.length = 0;
  }
  port.postMessage(reply, transfer);
  Atomics.add(control, replySlot(data.slot), 1);
  Atomics.notify(control, replySlot(data.slot));
});
