import { parentPort, workerData } from "node:worker_threads";
import type { PlannerSection } from "../../report/planner-result.js";
import { isInputError } from "../../util/errors.js";
import { CellCommandError, CellGroup } from "./cell-group.js";
import {
  type CoordinatorData,
  type CoordinatorFailed,
  type CoordinatorReply,
  CoordinatorReplyTag,
} from "./protocol.js";

/**
 * Coordinator thread of a sharded replay (runs compiled, dist/src/parallel/cells/coordinator.js): builds the
 * CellGroup over the hosts' ports, runs the whole replay — one advance to the end, or the unchanged planner
 * adapter tick by tick — merges the cells' results and posts them to the main thread.
 *
 * Why a thread of its own: PlannerReplay is synchronous, so whoever drives it must block while the cells run.
 * Blocking here leaves the main thread's event loop free to draw the progress bar, notice a host thread dying
 * and handle Ctrl-C.
 */

const data = workerData as CoordinatorData;

// The planner stack is a third of a second of module loading: load it only for a replay that runs it.
const plannerLoop = data.planner === null ? null : await import("../../replay/planner-replay.js");

function run(): CoordinatorReply {
  const group = new CellGroup(data.ports, data.control, data.cellsOfHost, data.cellCount, data.requestCount);
  let planner: PlannerSection | null = null;
  if (data.planner === null || plannerLoop === null) group.advanceTo(Number.POSITIVE_INFINITY);
  else {
    const p = data.planner;
    const { PlannerReplay, plannerReplaySetup } = plannerLoop;
    const setup = plannerReplaySetup(data.options, {
      config: p.config,
      ...(p.benchmarkGranularity === undefined ? {} : { benchmarkGranularity: p.benchmarkGranularity }),
      warmup: p.warmup,
      traceName: p.traceName,
    });
    // PlannerReplay reads the collector once, after its last tick: that read merges the cells' results.
    planner = new PlannerReplay(group, setup).run();
  }
  const cellEndMs = group.cellEndMs;
  const collector = group.collector.exportState();
  return { tag: CoordinatorReplyTag.Done, collector, planner, cellEndMs, cellBusyMs: group.busyMs };
}

function failure(error: unknown): CoordinatorFailed {
  if (error instanceof CellCommandError && error.failure !== null) {
    const f = error.failure;
    return {
      tag: CoordinatorReplyTag.Failed,
      cell: f.cell,
      errorName: f.errorName,
      message: f.message,
      inputError: f.inputError,
      stack: f.stack,
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    tag: CoordinatorReplyTag.Failed,
    cell: null,
    errorName: e.name,
    message: e.message,
    inputError: isInputError(e),
    stack: e.stack ?? e.message,
  };
}

let reply: CoordinatorReply;
try {
  reply = run();
} catch (error) {
  reply = failure(error);
}
const transfer =
  reply.tag === CoordinatorReplyTag.Done
    ? Object.values(reply.collector)
        .filter((v): v is Float64Array => ArrayBuffer.isView(v))
        .map((v) => v.buffer as ArrayBuffer)
    : [];
parentPort?.postMessage(reply, transfer);
// Stay up until the main thread terminates this thread: exiting on our own could race the reply, and the main
// thread treats an early exit as a fault.
setInterval(() => undefined, 1 << 30);
