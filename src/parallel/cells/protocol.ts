import type { MessagePort } from "node:worker_threads";
import type { PlannerConfig } from "../../planner/config.js";
import type { WarmupWindow } from "../../planner/state-machine.js";
import type { PlannerSection } from "../../report/planner-result.js";
import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import type { CollectorState } from "../../sim/collector.js";
import type { TraceColumns } from "../../trace/columns.js";

/**
 * Messages of a sharded replay, tagged with small integers. Three kinds of thread:
 *
 *   main ──spawns──► cell hosts (cell-host.ts): one per thread slot, each owning the ClusterSimulations of its
 *        │           cells for the whole run (stateful: piscina's stateless tasks do not fit)
 *        └─spawns──► coordinator (coordinator.ts): the CellGroup and the planner adapter; it talks to every host
 *                    over a MessagePort and blocks on Atomics.wait for replies (PlannerReplay is synchronous)
 *
 * Coordinator → host: one CellCommand per round trip, covering every cell the host owns. Host → coordinator: one
 * CellReply, posted on the port, then the host bumps its reply counter in the control block and notifies; the
 * coordinator takes the message with receiveMessageOnPort. Accumulators travel as fixed-layout Float64Arrays
 * (cell-view.ts, TrafficAccumulator layout) whose buffers are transferred; a finished cell's per-request columns
 * travel as one .kvshard FlatBuffer (src/parallel/schema/shard_result.fbs), also transferred.
 *
 * Control block (Int32Array over a SharedArrayBuffer): [0] abort flag (main sets it on a fault or Ctrl-C and
 * notifies every slot), [1 + t] replies posted by host t. Progress block: [k] requests cell k has completed.
 */

export const CellCommandTag = {
  /** Report every cell's state without simulating (the planner adapter reads counts before the first tick). */
  Snapshot: 1,
  /** Run every event at or before untilMs (ClusterSimulation.advanceTo). */
  Advance: 2,
  /** Return and reset every cell's traffic window. */
  DrainTraffic: 3,
  /** Scale each cell to its targets. */
  ApplyScaling: 4,
  /** Return each cell's per-request results and worker-hours. The host stays up until it is terminated. */
  Finish: 5,
  /** Return each cell's worker-hours per stage up to its clock (reading them accrues the pools' integrals). */
  WorkerHours: 6,
} as const;

export const CellReplyTag = { Views: 1, Traffic: 2, Finished: 3, Failed: 4, Hours: 5 } as const;

export interface SnapshotCommand {
  readonly tag: typeof CellCommandTag.Snapshot;
}

export interface AdvanceCommand {
  readonly tag: typeof CellCommandTag.Advance;
  readonly untilMs: number;
}

export interface DrainTrafficCommand {
  readonly tag: typeof CellCommandTag.DrainTraffic;
}

export interface ApplyScalingCommand {
  readonly tag: typeof CellCommandTag.ApplyScaling;
  /** [prefill, decode] target per cell the host owns, in its order (agg: the decode target sizes the pool). */
  readonly targets: Int32Array;
}

export interface FinishCommand {
  readonly tag: typeof CellCommandTag.Finish;
}

export interface WorkerHoursCommand {
  readonly tag: typeof CellCommandTag.WorkerHours;
}

export type CellCommand =
  | WorkerHoursCommand
  | SnapshotCommand
  | AdvanceCommand
  | DrainTrafficCommand
  | ApplyScalingCommand
  | FinishCommand;

/** One Float64Array per cell the host owns (cell-view.ts layout), in host order. */
export interface ViewsReply {
  readonly tag: typeof CellReplyTag.Views;
  readonly views: Float64Array[];
}

/** One TrafficAccumulator.toFloat64Array() per cell, in host order, taken just before the cell's drain. */
export interface TrafficReply {
  readonly tag: typeof CellReplyTag.Traffic;
  readonly traffic: Float64Array[];
}

/** One .kvshard FlatBuffer per cell (encodeShardResult), in host order, each in its own buffer. */
export interface FinishedReply {
  readonly tag: typeof CellReplyTag.Finished;
  readonly results: Uint8Array[];
  /** Worker-hours per stage of each cell at its clock, read after the results (as a WorkerHours command would). */
  readonly hours: Float64Array[];
}

/** Worker-hours per stage of each cell (one Float64Array per cell, in host order). */
export interface HoursReply {
  readonly tag: typeof CellReplyTag.Hours;
  readonly hours: Float64Array[];
}

export interface FailedReply {
  readonly tag: typeof CellReplyTag.Failed;
  /** The cell whose simulation threw. */
  readonly cell: number;
  readonly errorName: string;
  readonly message: string;
  /** A user-fixable error (InputError), e.g. a request larger than a worker's KV cache. */
  readonly inputError: boolean;
  readonly stack: string;
}

export type CellReply = ViewsReply | TrafficReply | FinishedReply | HoursReply | FailedReply;

/** Test-only fault injection: cell `cell` throws, or its thread exits, on the first Advance. */
export interface CellTestFault {
  readonly cell: number;
  readonly kind: "throw" | "exit";
}

/** One cell as its host receives it (the trace's buffers are transferred, not copied). */
export interface CellSpec {
  readonly cell: number;
  readonly trace: TraceColumns;
  readonly options: ClusterOptions;
  /** Row i of the cell's trace is request globalIds[i] of the whole trace. */
  readonly globalIds: Uint32Array;
}

export interface CellHostData {
  readonly slot: number;
  readonly cellCount: number;
  readonly cells: readonly CellSpec[];
  readonly control: Int32Array;
  readonly progress: Int32Array;
  readonly port: MessagePort;
  readonly testFault: CellTestFault | null;
}

/** The planner in the loop, as the coordinator rebuilds it (plain data: structured-cloned). */
export interface CoordinatorPlanner {
  readonly config: PlannerConfig;
  readonly benchmarkGranularity: number | undefined;
  readonly warmup: readonly WarmupWindow[] | null;
  readonly traceName: string;
}

export interface CoordinatorData {
  /** ports[t] talks to host t. */
  readonly ports: readonly MessagePort[];
  readonly control: Int32Array;
  readonly cellCount: number;
  /** cellsOfHost[t] = the cells host t owns, ascending. */
  readonly cellsOfHost: readonly (readonly number[])[];
  readonly requestCount: number;
  /** The whole cluster's options (the planner sizes against these). */
  readonly options: ClusterOptions;
  readonly planner: CoordinatorPlanner | null;
}

export const CoordinatorReplyTag = { Done: 1, Failed: 2 } as const;

export interface CoordinatorDone {
  readonly tag: typeof CoordinatorReplyTag.Done;
  /** The merged collector in request-id space (its buffers transferred). */
  readonly collector: CollectorState;
  readonly planner: PlannerSection | null;
  /** Per cell: time of its last simulated event, ms. */
  readonly cellEndMs: number[];
  /** Per cell: host time its advances took, ms. */
  readonly cellBusyMs: number[];
}

export interface CoordinatorFailed {
  readonly tag: typeof CoordinatorReplyTag.Failed;
  /** The failing cell, or null for an error of the coordinator itself (e.g. a planner config error). */
  readonly cell: number | null;
  readonly errorName: string;
  readonly message: string;
  readonly inputError: boolean;
  readonly stack: string;
}

export type CoordinatorReply = CoordinatorDone | CoordinatorFailed;

/** Slot of host `t`'s reply counter in the control block. */
export function replySlot(host: number): number {
  return 1 + host;
}

export const ABORT_SLOT = 0;

export function controlLength(hosts: number): number {
  return 1 + hosts;
}
