import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeRequestRecords } from "../../src/report/requests-jsonl.js";
import { buildReport, reportToJson } from "../../src/report/summary.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import type { TraceColumns } from "../../src/trace/columns.js";
import {
  type ClusterScenario,
  clusterScenarioArb,
  fastSeams,
  kvTierSizesArb,
  type RecordingCollector,
  scenarioTrace,
  withKvTiers,
} from "../support/cluster-scenario-kit.js";

// Snapshot/restore is exact: a simulation run to a random time t and snapshotted, then run on (A), equals a copy
// restored from the snapshot and run on (B); a second restore of the same snapshot (into the memory of B's
// spent copy) with a scaling change applied at t (C1) equals an uninterrupted run that applies the same change
// at t (C2). "Equal" = the --requests-out text and the report JSON (wall time left out) are byte-identical, as
// are the advanceTo results and any error. Scenarios: random small traces with multi-turn sessions, tiny KV pools
// (eviction, preemption), chunked prefill, agg and disagg, kv and round-robin routers, closed-loop concurrency,
// scaling events before and after t, engine startup times, forward-pass collection on or off, host and disk KV
// tiers on a third of the scenarios (onboardings in flight at t: queued transfers, wake-ups, waiting holders).

interface Outcome {
  readonly text: string;
  readonly error: string | null;
}

function outcomeOf(sim: ClusterSimulation | null, trace: TraceColumns, error: string | null, log: string[]) {
  if (sim === null) return { text: log.join("|"), error };
  let requests = "";
  writeRequestRecords(sim.collector, trace, { write: (chunk) => (requests += chunk) });
  const report = reportToJson(buildReport(sim.collector, trace, 0), { omitWallTime: true });
  // Every token time too (the scenarios' collector records them): stricter than the per-request records.
  const tokens = JSON.stringify((sim.collector as RecordingCollector).tokenTimesMs);
  return { text: `${log.join("|")}\n${requests}${report}${tokens}`, error } satisfies Outcome;
}

/** Scaling events after `fromMs` (exclusive), then the rest of the run; logs every advanceTo result. */
function runOn(sim: ClusterSimulation, s: ClusterScenario, fromMs: number, log: string[]): void {
  for (const [atMs, prefill, decode] of s.scaling) {
    if (atMs <= fromMs) continue;
    const r = sim.advanceTo(atMs);
    log.push(`${r.lastEventMs},${r.isDone}`);
    if (r.isDone) return;
    sim.applyScaling(prefill, decode);
  }
  const r = sim.advanceTo(Number.POSITIVE_INFINITY);
  log.push(`${r.lastEventMs},${r.isDone}`);
}

/** A fresh run up to `cutMs` (scaling events at or before it applied). */
function runTo(trace: TraceColumns, s: ClusterScenario, collectFpm: boolean, cutMs: number, log: string[]) {
  const options = { ...resolveClusterOptions(s.input, trace.traceBlockSize), collectFpm };
  const sim = new ClusterSimulation(trace, options, fastSeams);
  for (const [atMs, prefill, decode] of s.scaling) {
    if (atMs > cutMs) break;
    const r = sim.advanceTo(atMs);
    log.push(`${r.lastEventMs},${r.isDone}`);
    if (r.isDone) break;
    sim.applyScaling(prefill, decode);
  }
  const r = sim.advanceTo(cutMs);
  log.push(`cut ${r.lastEventMs},${r.isDone}`);
  return sim;
}

function attempt(trace: TraceColumns, body: (log: string[]) => ClusterSimulation): Outcome {
  const log: string[] = [];
  let sim: ClusterSimulation | null = null;
  try {
    sim = body(log);
    return outcomeOf(sim, trace, null, log);
  } catch (e) {
    return outcomeOf(null, trace, (e as Error).message, log);
  }
}

const caseArb = fc.record({
  scenario: fc
    .tuple(
      fc.oneof(clusterScenarioArb(false), clusterScenarioArb(true)),
      fc.option(kvTierSizesArb, { freq: 2 }),
    )
    .map(([s, tiers]) => (tiers === null ? s : withKvTiers(s, tiers))),
  cutMs: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 3000 })),
  change: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  collectFpm: fc.boolean(),
});

describe("simulation snapshot/restore", () => {
  it("restoring and running on is byte-identical to running on, with or without a change at the cut", () => {
    fc.assert(
      fc.property(caseArb, ({ scenario: s, cutMs, change, collectFpm }) => {
        const trace = scenarioTrace(s);
        let snapshot: ReturnType<ClusterSimulation["snapshot"]> | null = null;
        let spent: ClusterSimulation | null = null;
        let prefix: string[] = [];
        const a = attempt(trace, (log) => {
          const sim = runTo(trace, s, collectFpm, cutMs, log);
          prefix = [...log];
          snapshot = sim.snapshot();
          runOn(sim, s, cutMs, log);
          return sim;
        });
        if (snapshot === null) return; // the run failed before the cut: nothing to restore
        const snap = snapshot as ReturnType<ClusterSimulation["snapshot"]>;
        const b = attempt(trace, (log) => {
          log.push(...prefix);
          const sim = ClusterSimulation.restore(snap);
          spent = sim;
          runOn(sim, s, cutMs, log);
          return sim;
        });
        expect(b).toEqual(a);
        const c1 = attempt(trace, (log) => {
          log.push(...prefix);
          const sim = ClusterSimulation.restore(snap, spent ?? undefined);
          if (!sim.isDone()) sim.applyScaling(change[0], change[1]);
          runOn(sim, s, cutMs, log);
          return sim;
        });
        const c2 = attempt(trace, (log) => {
          const sim = runTo(trace, s, collectFpm, cutMs, log);
          if (!sim.isDone()) sim.applyScaling(change[0], change[1]);
          runOn(sim, s, cutMs, log);
          return sim;
        });
        expect(c1).toEqual(c2);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
