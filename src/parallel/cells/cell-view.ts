import type { ForwardPassMetrics } from "../../planner/types.js";
import {
  BACKLOG_LAYOUT_LENGTH,
  backlogFromArray,
  backlogToArray,
  type StageBacklog,
} from "../../signals/backlog.js";
import { FPM_LAYOUT, fpmToMetrics } from "../../signals/fpm-layout.js";
import {
  type ClusterSimulation,
  STAGE_COUNT_FIELDS,
  type StageCounts,
  type WorkerKvUsage,
} from "../../sim/cluster/cluster-simulation.js";

/**
 * What the coordinator needs of one cell after each command, as one Float64Array (transferred, never cloned):
 *
 *   | NOW_MS | LAST_EVENT_MS | IS_DONE | NEXT_EVENT_MS | COMPLETED | STAGES |
 *   | stage 0: STAGE_COUNT_FIELDS… FPM_ROWS KV_ROWS | stage 1: (same; zeros in agg) |
 *   | stage 0 backlog (signals/backlog.ts layout) | stage 1 backlog (zeros in agg) |
 *   | stage 0 FPM rows | stage 0 KV rows | stage 1 FPM rows | stage 1 KV rows |
 *
 *   FPM row = [localWorkerId, counterId, FPM_LAYOUT fields…]   (the snapshots taken since the previous view)
 *   KV row  = [localWorkerId, activeBlocks, inactiveBlocks, capacityBlocks]   (every live worker, lowest id first)
 *
 * Doubles carry every field exactly (ids and counts are integers < 2^53; Infinity stays Infinity). Building a view
 * only reads the cell (and takes its FPM snapshots): worker-hours are not in it because reading them accrues the
 * pool's integral, which would change its rounding against an unsharded run (CellCommandTag.WorkerHours).
 */
const COUNT_FIELDS = STAGE_COUNT_FIELDS.length;

export const VIEW = {
  NOW_MS: 0,
  LAST_EVENT_MS: 1,
  IS_DONE: 2,
  NEXT_EVENT_MS: 3,
  COMPLETED: 4,
  STAGES: 5,
  STAGE_BASE: 6,
  /** A stage's block: its counts (STAGE_COUNT_FIELDS order at 0..), then FPM_ROWS and KV_ROWS. */
  STAGE_WIDTH: COUNT_FIELDS + 2,
  FPM_ROWS: COUNT_FIELDS,
  KV_ROWS: COUNT_FIELDS + 1,
  BACKLOG_BASE: 6 + 2 * (COUNT_FIELDS + 2),
  HEADER: 6 + 2 * (COUNT_FIELDS + 2) + 2 * BACKLOG_LAYOUT_LENGTH,
  FPM_ROW: 2 + FPM_LAYOUT.FIELD_COUNT,
  KV_ROW: 4,
} as const;

const FPM_FIELDS: readonly ((m: ForwardPassMetrics) => number)[] = (() => {
  const L = FPM_LAYOUT;
  const out: ((m: ForwardPassMetrics) => number)[] = [];
  out[L.WALL_TIME_S] = (m) => m.wallTime;
  out[L.SCHED_NUM_PREFILL] = (m) => m.scheduled.numPrefillRequests;
  out[L.SCHED_SUM_PREFILL_TOKENS] = (m) => m.scheduled.sumPrefillTokens;
  out[L.SCHED_VAR_PREFILL_LENGTH] = (m) => m.scheduled.varPrefillLength;
  out[L.SCHED_SUM_PREFILL_KV_TOKENS] = (m) => m.scheduled.sumPrefillKvTokens;
  out[L.SCHED_NUM_DECODE] = (m) => m.scheduled.numDecodeRequests;
  out[L.SCHED_SUM_DECODE_KV_TOKENS] = (m) => m.scheduled.sumDecodeKvTokens;
  out[L.SCHED_VAR_DECODE_KV_TOKENS] = (m) => m.scheduled.varDecodeKvTokens;
  out[L.QUEUED_NUM_PREFILL] = (m) => m.queued.numPrefillRequests;
  out[L.QUEUED_SUM_PREFILL_TOKENS] = (m) => m.queued.sumPrefillTokens;
  out[L.QUEUED_VAR_PREFILL_LENGTH] = (m) => m.queued.varPrefillLength;
  out[L.QUEUED_NUM_DECODE] = (m) => m.queued.numDecodeRequests;
  out[L.QUEUED_SUM_DECODE_KV_TOKENS] = (m) => m.queued.sumDecodeKvTokens;
  out[L.QUEUED_VAR_DECODE_KV_TOKENS] = (m) => m.queued.varDecodeKvTokens;
  return out;
})();

function stageAt(stage: number, field: number): number {
  return VIEW.STAGE_BASE + stage * VIEW.STAGE_WIDTH + field;
}

/**
 * A cell's view after a command; takes the cell's pending FPM snapshots (they travel in this view only).
 * `lastEventMs` is what the cell's latest advanceTo returned (0 before any), which the simulation does not keep.
 */
export function encodeView(sim: ClusterSimulation, lastEventMs: number): Float64Array {
  const stages = sim.stages.length;
  const fpms: ForwardPassMetrics[][] = [];
  const kvs: WorkerKvUsage[][] = [];
  let length = VIEW.HEADER;
  for (let s = 0; s < stages; s++) {
    const f = sim.takeFpmSnapshots(s);
    const kv = sim.kvUsage(s);
    fpms.push(f);
    kvs.push(kv);
    length += f.length * VIEW.FPM_ROW + kv.length * VIEW.KV_ROW;
  }
  const out = new Float64Array(length);
  out[VIEW.NOW_MS] = sim.now;
  out[VIEW.LAST_EVENT_MS] = lastEventMs;
  out[VIEW.IS_DONE] = sim.isDone() ? 1 : 0;
  out[VIEW.NEXT_EVENT_MS] = sim.nextEventMs;
  out[VIEW.COMPLETED] = sim.completed;
  out[VIEW.STAGES] = stages;
  let at = VIEW.HEADER;
  for (let s = 0; s < stages; s++) {
    const c = sim.counts(s);
    STAGE_COUNT_FIELDS.forEach((field, k) => {
      out[stageAt(s, k)] = c[field];
    });
    backlogToArray(sim.backlog(s), out, VIEW.BACKLOG_BASE + s * BACKLOG_LAYOUT_LENGTH);
    const f = fpms[s] as ForwardPassMetrics[];
    const kv = kvs[s] as WorkerKvUsage[];
    out[stageAt(s, VIEW.FPM_ROWS)] = f.length;
    out[stageAt(s, VIEW.KV_ROWS)] = kv.length;
    for (const m of f) {
      out[at] = Number(m.workerId);
      out[at + 1] = m.counterId;
      for (let k = 0; k < FPM_FIELDS.length; k++)
        out[at + 2 + k] = (FPM_FIELDS[k] as (m: ForwardPassMetrics) => number)(m);
      at += VIEW.FPM_ROW;
    }
    for (const w of kv) {
      out[at] = w.workerId;
      out[at + 1] = w.activeBlocks;
      out[at + 2] = w.inactiveBlocks;
      out[at + 3] = w.capacityBlocks;
      at += VIEW.KV_ROW;
    }
  }
  return out;
}

/** A view decoded on the coordinator (its FPM snapshots go straight to the caller's pending lists). */
export interface DecodedView {
  readonly nowMs: number;
  readonly lastEventMs: number;
  readonly isDone: boolean;
  readonly nextEventMs: number;
  readonly completed: number;
  readonly counts: StageCounts[];
  readonly backlog: StageBacklog[];
  readonly kv: WorkerKvUsage[][];
}

/**
 * Decodes a view of cell `cell` of `cellCount`. Its FPM snapshots are appended, in pass order, to
 * `pendingFpm[stage]` with global worker ids (cell-ids.ts) and counter ids numbering the pending list, as one
 * cluster's buffer numbers its passes since the last take.
 */
export function decodeView(
  v: Float64Array,
  cell: number,
  cellCount: number,
  pendingFpm: ForwardPassMetrics[][],
): DecodedView {
  const stages = v[VIEW.STAGES] as number;
  const counts: StageCounts[] = [];
  const backlog: StageBacklog[] = [];
  const kv: WorkerKvUsage[][] = [];
  let at = VIEW.HEADER;
  for (let s = 0; s < stages; s++) {
    const c: Record<string, number> = {};
    STAGE_COUNT_FIELDS.forEach((field, k) => {
      c[field] = v[stageAt(s, k)] as number;
    });
    counts.push(c as StageCounts);
    backlog.push(backlogFromArray(v, VIEW.BACKLOG_BASE + s * BACKLOG_LAYOUT_LENGTH));
    const fpmRows = v[stageAt(s, VIEW.FPM_ROWS)] as number;
    const kvRows = v[stageAt(s, VIEW.KV_ROWS)] as number;
    const pending = pendingFpm[s] as ForwardPassMetrics[];
    for (let i = 0; i < fpmRows; i++) {
      const globalId = (v[at] as number) * cellCount + cell;
      pending.push(fpmToMetrics(v, at + 2, String(globalId), pending.length));
      at += VIEW.FPM_ROW;
    }
    const w: WorkerKvUsage[] = [];
    for (let i = 0; i < kvRows; i++) {
      w.push({
        workerId: v[at] as number,
        activeBlocks: v[at + 1] as number,
        inactiveBlocks: v[at + 2] as number,
        capacityBlocks: v[at + 3] as number,
      });
      at += VIEW.KV_ROW;
    }
    kv.push(w);
  }
  if (at !== v.length) throw new RangeError(`cell view: ${v.length} doubles, layout reads ${at}`);
  return {
    nowMs: v[VIEW.NOW_MS] as number,
    lastEventMs: v[VIEW.LAST_EVENT_MS] as number,
    isDone: v[VIEW.IS_DONE] === 1,
    nextEventMs: v[VIEW.NEXT_EVENT_MS] as number,
    completed: v[VIEW.COMPLETED] as number,
    counts,
    backlog,
    kv,
  };
}
