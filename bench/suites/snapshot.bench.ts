// Cost of an exact simulation snapshot and restore (hindsight search: one snapshot per window, one restore per
// trial), mid-run on the embedded Mooncake conversation trace (12,031 requests; agg, 8 workers, KV router) at
// t = 1800 s, against a baseline measured in the same run: the CPU cost of one simulated second of that replay
// (the mean over the next 60 simulated seconds, fastest of 3 copies). Ratio = cost / baseline: how many simulated
// seconds one snapshot or restore costs (lower is better). CPU-time clock (the machine is shared).
import { Bench, type Task } from "tinybench";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import type { SimulationSnapshot } from "../../src/sim/cluster/simulation-snapshot.js";
import { readTrace } from "../../src/trace/read-trace.js";
import { defaultTracePath } from "../../src/util/package-root.js";
import type { BenchRow, BenchSuite } from "../lib.js";

const CUT_MS = 1_800_000;
const BASELINE_SPAN_MS = 60_000;

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const BENCH_OPTIONS = {
  time: 3000,
  iterations: 10,
  warmupTime: 500,
  warmupIterations: 3,
  now: processCpuMs,
} as const;

function meanMs(task: Task | undefined): number {
  const r = task?.result;
  if (r === undefined || r.state !== "completed")
    throw new Error(`task ${task?.name ?? "?"} did not complete`);
  return r.period;
}

export const suite: BenchSuite = {
  name: "snapshot",
  async run(): Promise<readonly BenchRow[]> {
    const trace = readTrace(defaultTracePath()).columns;
    const options = resolveClusterOptions(
      { mode: "agg", numWorkers: 8, routerMode: "kv" },
      trace.traceBlockSize,
    );
    // Every simulation a search runs is a copy (one object shape per class), so the bench runs copies too.
    const live = ClusterSimulation.restore(new ClusterSimulation(trace, options).snapshot());
    live.advanceTo(CUT_MS);
    let snapshot: SimulationSnapshot<ClusterSimulation> = live.snapshot();

    let baselineMs = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const copy = ClusterSimulation.restore(snapshot);
      const t0 = processCpuMs();
      copy.advanceTo(CUT_MS + BASELINE_SPAN_MS);
      baselineMs = Math.min(baselineMs, (processCpuMs() - t0) / (BASELINE_SPAN_MS / 1000));
    }

    let spent = ClusterSimulation.restore(snapshot);
    const bench = new Bench(BENCH_OPTIONS);
    bench
      .add("snapshot, recycling the previous snapshot", () => {
        snapshot = live.snapshot(snapshot);
      })
      .add("restore, recycling a spent copy", () => {
        spent = ClusterSimulation.restore(snapshot, spent);
      })
      .add("restore into fresh memory", () => {
        ClusterSimulation.restore(snapshot);
      });
    await bench.run();
    const baseline = { name: "one simulated second of the replay", value: baselineMs };
    const rows: BenchRow[] = bench.tasks.map((task) => {
      const ms = meanMs(task);
      return {
        name: `conversation trace, agg 8 workers, kv, t = 1800 s: ${task.name}`,
        unit: "ms",
        value: ms,
        baseline,
        ratio: ms / baselineMs,
        note: "ratio = cost / one simulated second (lower is better); process CPU-time clock",
      };
    });
    return rows;
  },
};
