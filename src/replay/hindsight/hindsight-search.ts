// The hindsight schedule: a forward search with the simulator itself (a clairvoyant that knows the whole trace).
//
// Windows are decided in order. Window w's decision point is t_w = max(0, w·L − max startup): the earliest time its
// sizes can matter (a scale-up must start its workers S before the window). One simulation — the committed run —
// replays the schedule decided so far; at t_w it is snapshotted and each candidate size is tried on a restored
// copy: the schedule so far plus the candidate for window w and every later window (held), through the same
// change-point driver (schedule.ts) as the committed run, until the verdict is known (window-judge.ts):
//   pass ⇔ window w's arrivals meet the SLA attainment target, and so does every earlier window that met it at
//          its own decision and still has requests running at t_w (a smaller pool now must not sink them).
// The cheapest passing candidate is committed (size-search.ts: gallop from the previous window's size, bisect;
// disagg: coordinate search), the committed run moves on to t_{w+1}, and so on until the trace is done. Window 0's
// sizes are the initial cluster (fresh simulations, ready at t = 0).
//
// Why the final run meets the target: on [t_w, t_{w+1}) the committed run makes exactly the calls the winning
// trial made, so a window whose requests all finish before t_{j+1} (j = the last decision at which it was open)
// ends exactly as in trial j, which required it to meet the target. A window no candidate within the budget can
// serve ("unreachable") gets the largest size tried and is not protected afterwards; then the final run may miss
// the target (the caller compares with the cheapest static cluster).

import type { ClusterOptions } from "../../sim/cluster/cluster-options.js";
import { ClusterSimulation } from "../../sim/cluster/cluster-simulation.js";
import type { SimulationSnapshot } from "../../sim/cluster/simulation-snapshot.js";
import type { TraceColumns } from "../../trace/columns.js";
import type { StageLayout } from "../planner-simulation.js";
import type { PoolLimits } from "./pool-limits.js";
import {
  type AppliedChange,
  applyTargets,
  justBeforeMs,
  nextChangeMs,
  type PoolSizes,
  type ScheduleTiming,
  targetsAt,
} from "./schedule.js";
import { cheapestSizes } from "./size-search.js";
import { type SlaTarget, WindowJudge } from "./window-judge.js";

/** Simulated time between two looks at an undecided trial, ms (the verdict does not depend on it). */
const JUDGE_STEP_MS = 1000;

export type WindowReason = "hindsight" | "hindsight_unreachable";

export interface WindowChoice {
  readonly sizes: PoolSizes;
  readonly reason: WindowReason;
  /** Trial simulations run for this window. */
  readonly trials: number;
}

export interface HindsightSearchResult {
  readonly windows: readonly WindowChoice[];
  readonly trials: number;
  /** The committed run, finished: the schedule's replay. */
  readonly simulation: ClusterSimulation;
  readonly changes: readonly AppliedChange[];
  /** Time of the run's last event, ms. */
  readonly endMs: number;
}

export interface HindsightSearchInput {
  readonly trace: TraceColumns;
  readonly options: ClusterOptions;
  readonly layout: StageLayout;
  readonly limits: PoolLimits;
  readonly timing: ScheduleTiming;
  readonly sla: SlaTarget;
}

/** A simulation of the cluster with these initial sizes (built as a copy, like every trial: see graph-clone.ts). */
export function simulationWithSizes(
  trace: TraceColumns,
  options: ClusterOptions,
  sizes: PoolSizes,
): ClusterSimulation {
  const sized: ClusterOptions =
    options.mode === "agg"
      ? { ...options, numWorkers: sizes.decode, collectFpm: false, mirrorPools: false }
      : {
          ...options,
          numPrefillWorkers: sizes.prefill,
          numDecodeWorkers: sizes.decode,
          collectFpm: false,
          mirrorPools: false,
        };
  // mirrorPools false: the search copies whole simulations, and a mirrored router would carry the KV pool of every
  // worker the schedule ever removed (GBs on the conversation trace); the event-fed index keeps only their entries.
  // Every simulation of a search is a copy, so V8 sees one shape per class (mixing copies with constructed
  // objects made the copies' call sites polymorphic: 2× slower, measured).
  return ClusterSimulation.restore(new ClusterSimulation(trace, sized).snapshot());
}

/** Window `w`'s decision point, ms (the simulation stands just before it when the window is searched). */
function decisionMs(timing: ScheduleTiming, w: number): number {
  const lead = Math.max(timing.prefillStartupMs, timing.decodeStartupMs);
  return Math.max(0, w * timing.windowMs - lead);
}

/** Ids of released requests whose arrival window is in `windows` (window → group index), with their groups. */
function judgeFor(
  sim: ClusterSimulation,
  input: HindsightSearchInput,
  windows: ReadonlyMap<number, number>,
): WindowJudge {
  const c = sim.collector;
  const L = input.timing.windowMs;
  const ids: number[] = [];
  const groups: number[] = [];
  for (let id = 0; id < c.requestCount; id++) {
    const a = c.arrivalMs[id] as number;
    if (Number.isNaN(a)) continue;
    const g = windows.get(Math.floor(a / L));
    if (g === undefined) continue;
    ids.push(id);
    groups.push(g);
  }
  return new WindowJudge(
    Int32Array.from(ids),
    Int32Array.from(groups),
    windows.size,
    input.sla,
    input.trace.outputTokens,
  );
}

/** Windows (< w) that met the target and still have a request unfinished at the committed run's clock. */
function openMetWindows(
  sim: ClusterSimulation,
  input: HindsightSearchInput,
  met: readonly boolean[],
): number[] {
  const c = sim.collector;
  const L = input.timing.windowMs;
  const open = new Set<number>();
  const osl = input.trace.outputTokens;
  for (let id = 0; id < c.requestCount; id++) {
    const a = c.arrivalMs[id] as number;
    if (Number.isNaN(a) || (c.tokenCount[id] as number) >= (osl[id] as number)) continue;
    const k = Math.floor(a / L);
    if (met[k] === true) open.add(k);
  }
  return [...open].sort((x, y) => x - y);
}

/**
 * Drives `sim` — advanced to just before change point `fromMs` (schedule.ts), whose change is not applied yet —
 * under `sizes` (later windows hold the last entry): applies the change at `fromMs`, then advances to just before
 * and applies every change point before `beforeMs`. Returns false (and stops) once the run is done.
 */
export function driveSchedule(
  sim: ClusterSimulation,
  layout: StageLayout,
  timing: ScheduleTiming,
  sizes: readonly PoolSizes[],
  fromMs: number,
  beforeMs: number,
  changes: AppliedChange[] | null,
): boolean {
  for (let c = fromMs; c < beforeMs; c = nextChangeMs(timing, c)) {
    if (c > fromMs && sim.advanceTo(justBeforeMs(c)).isDone) return false;
    const applied = applyTargets(sim, layout, targetsAt(sizes, timing, c), c);
    if (applied !== null) changes?.push(applied);
  }
  return !sim.isDone();
}

/** Advances an undecided run by `stepMs`; a run with work left and no event ahead would loop forever. */
export function stepOn(sim: ClusterSimulation, stepMs: number): void {
  if (sim.nextEventMs === Number.POSITIVE_INFINITY) {
    throw new Error(
      `hindsight: the simulation stalled at t=${(sim.now / 1000).toFixed(1)}s with requests unfinished ` +
        "(a prompt larger than a worker's KV cache?)",
    );
  }
  sim.advanceTo(sim.now + stepMs);
}

/** Time of a finished run's last event: its last token (a run ends when its last request does), ms. */
export function lastTokenMs(sim: ClusterSimulation): number {
  let end = 0;
  const last = sim.collector.lastTokenMs;
  for (let id = 0; id < last.length; id++) {
    const t = last[id] as number;
    if (t > end) end = t;
  }
  return end;
}

class Trials {
  count = 0;
  private spent: ClusterSimulation | undefined = undefined;
  private readonly input: HindsightSearchInput;

  constructor(input: HindsightSearchInput) {
    this.input = input;
  }

  /** Does the schedule `sizes` (window w = the candidate, held) pass, from `base` at t_w? */
  pass(
    base: SimulationSnapshot<ClusterSimulation> | null,
    w: number,
    sizes: readonly PoolSizes[],
    checked: readonly number[],
  ): boolean {
    this.count++;
    const { layout, timing, trace, options } = this.input;
    const tw = decisionMs(timing, w);
    let sim: ClusterSimulation;
    // Every change point up to window w's start (later ones change nothing: the candidate is held).
    const beforeMs = nextChangeMs(timing, w * timing.windowMs);
    if (base === null) {
      // A fresh simulation has run nothing, not even the arrivals at 0: it stands just before change point 0.
      sim = simulationWithSizes(trace, options, sizes[0] as PoolSizes);
      driveSchedule(sim, layout, timing, sizes, 0, beforeMs, null);
    } else {
      sim = ClusterSimulation.restore(base, this.spent);
      driveSchedule(sim, layout, timing, sizes, tw, beforeMs, null);
    }
    this.spent = sim;
    const windowEndMs = (w + 1) * timing.windowMs;
    if (sim.now < windowEndMs) sim.advanceTo(windowEndMs);
    const groups = new Map<number, number>();
    for (const k of checked) groups.set(k, groups.size);
    const judge = judgeFor(sim, this.input, groups);
    for (;;) {
      const states = judge.judge(sim.collector, sim.now);
      if (states.some((s) => s.verdict === "fail")) return false;
      if (states.every((s) => s.verdict === "pass")) return true;
      if (sim.isDone()) throw new Error("hindsight: a finished trial left a window undecided");
      stepOn(sim, JUDGE_STEP_MS);
    }
  }
}

/** The hindsight schedule of a trace on a cluster (see the header). */
export function searchHindsight(input: HindsightSearchInput): HindsightSearchResult {
  const { layout, timing, limits, trace, options } = input;
  const trials = new Trials(input);
  const windows: WindowChoice[] = [];
  const met: boolean[] = [];
  const committed: PoolSizes[] = [];
  const start: PoolSizes = { prefill: limits.disagg ? limits.minReplicas : 0, decode: limits.minReplicas };

  // Window 0: the initial cluster.
  let before = trials.count;
  const first = cheapestSizes(limits, start, (s) => trials.pass(null, 0, [s], [0]));
  committed.push(first.best ?? first.largest);
  met.push(first.best !== null);
  windows.push({
    sizes: committed[0] as PoolSizes,
    reason: first.best !== null ? "hindsight" : "hindsight_unreachable",
    trials: trials.count - before,
  });

  // The committed run stands just before `pendingMs`, a change point whose change waits for the decisions due there.
  const cursor = simulationWithSizes(trace, options, committed[0] as PoolSizes);
  const changes: AppliedChange[] = [];
  let snapshot: SimulationSnapshot<ClusterSimulation> | undefined;
  let pendingMs = 0;
  for (let w = 1; ; w++) {
    const tw = decisionMs(timing, w);
    if (tw > pendingMs) {
      if (!driveSchedule(cursor, layout, timing, committed, pendingMs, tw, changes)) break;
      pendingMs = tw;
      if (cursor.advanceTo(justBeforeMs(tw)).isDone) break;
    }
    snapshot = cursor.snapshot(snapshot);
    const base = snapshot;
    const checked = [...openMetWindows(cursor, input, met), w];
    before = trials.count;
    const held = committed[w - 1] as PoolSizes;
    const found = cheapestSizes(limits, held, (s) => trials.pass(base, w, [...committed, s], checked));
    committed.push(found.best ?? found.largest);
    met.push(found.best !== null);
    windows.push({
      sizes: committed[w] as PoolSizes,
      reason: found.best !== null ? "hindsight" : "hindsight_unreachable",
      trials: trials.count - before,
    });
  }
  if (!cursor.isDone()) {
    // Past the last decision the last window's sizes hold: apply the pending change and run to the end.
    driveSchedule(cursor, layout, timing, committed, pendingMs, nextChangeMs(timing, pendingMs), changes);
    cursor.advanceTo(Number.POSITIVE_INFINITY);
  }
  return { windows, trials: trials.count, simulation: cursor, changes, endMs: lastTokenMs(cursor) };
}
