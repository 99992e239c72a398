// One replay in a fresh process, for the "replay" suite (bench/suites/replay.bench.ts), which spawns it as
//   node --expose-gc --single-threaded dist/bench/replay-child.js <mode> <router> <engine> <requests>
// mode agg (8 workers) | agg-tiers (the same with a host tier 4× and a disk tier 16× the GPU cache, a 70B GQA
// model's 327,680 B/token, 50 / 7 GB/s) | disagg (4 prefill + 4 decode) | planner (disagg from 2 prefill + 2 decode under the SLA
// planner of PLANNER, ticking on simulated time, report and planner section built); router kv | round_robin;
// engine fast | reference;
// requests: how many of the Mooncake conversation trace's rows to replay, from the first (or "all").
// Prints one JSON line: requests, output tokens, CPU and wall seconds of the replay alone (the trace is read
// before the clock starts), peak RSS, and the heap + ArrayBuffer bytes the finished simulation retains beyond
// the loaded trace (after a full GC).
import { parsePlannerConfig } from "../src/planner/config.js";
import { runReplay } from "../src/replay/run-replay.js";
import { ClusterSimulation } from "../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../src/sim/cluster/resolve-options.js";
import { parseEngineArgs } from "../src/sim/engine/engine-args.js";
import type { TraceColumns } from "../src/trace/columns.js";
import { readTrace } from "../src/trace/read-trace.js";
import { defaultTracePath } from "../src/util/package-root.js";
import { referenceClusterSeams } from "../test/oracles/reference-cluster.js";

export interface ReplayChildResult {
  readonly requests: number;
  readonly outputTokens: number;
  readonly cpuS: number;
  readonly wallS: number;
  readonly peakRssBytes: number;
  readonly retainedBytes: number;
}

/** The first `n` rows of a trace (columns are views, not copies). */
function firstRows(t: TraceColumns, n: number): TraceColumns {
  if (n >= t.count) return t;
  return {
    ...t,
    count: n,
    arrivalMs: t.arrivalMs.subarray(0, n),
    inputTokens: t.inputTokens.subarray(0, n),
    outputTokens: t.outputTokens.subarray(0, n),
    hashOffsets: t.hashOffsets.subarray(0, n + 1),
    sessionIndex: t.sessionIndex.subarray(0, n),
    delayMs: t.delayMs.subarray(0, n),
    sourceLine: t.sourceLine.subarray(0, n),
  };
}

/** The planner-in-the-loop configuration of the speed issue: SLA planner, constant predictor, 60 s / 5 s. */
export const PLANNER = {
  mode: "disagg",
  optimization_target: "sla",
  ttft: 2000,
  itl: 50,
  load_predictor: "constant",
  throughput_adjustment_interval: 60,
  load_adjustment_interval: 5,
} as const;

/** Engine args of the agg-tiers mode: default GPU cache (16,384 blocks), host 4× and disk 16× of it. */
const TIERED_ENGINE_ARGS = parseEngineArgs(
  {
    kv_bytes_per_token: 327_680,
    host_kv_blocks: 65_536,
    host_kv_bandwidth: 50,
    disk_kv_blocks: 262_144,
    disk_kv_bandwidth: 7,
  },
  "bench",
);

function heldBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function main(): void {
  const [mode = "agg", router = "kv", engine = "fast", requests = "all"] = process.argv.slice(2);
  const full = readTrace(defaultTracePath()).columns;
  const trace = firstRows(full, requests === "all" ? full.count : Number(requests));
  const options = resolveClusterOptions(
    mode === "agg"
      ? { mode: "agg", numWorkers: 8, routerMode: router as "kv" }
      : mode === "agg-tiers"
        ? { mode: "agg", numWorkers: 8, routerMode: router as "kv", engineArgs: TIERED_ENGINE_ARGS }
        : mode === "planner"
          ? { mode: "disagg", numPrefillWorkers: 2, numDecodeWorkers: 2, routerMode: router as "kv" }
          : { mode: "disagg", numPrefillWorkers: 4, numDecodeWorkers: 4, routerMode: router as "kv" },
    trace.traceBlockSize,
  );
  if (mode === "planner") {
    const planner = { config: parsePlannerConfig(PLANNER), traceName: "conversation" };
    const before = heldBytes();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const run = runReplay(trace, options, { planner });
    const wallS = (performance.now() - wall0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const result: ReplayChildResult = {
      requests: trace.count,
      outputTokens: run.report.total_output_tokens,
      cpuS: (cpu.user + cpu.system) / 1e6,
      wallS,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      retainedBytes: heldBytes() - before,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const seams =
    engine === "reference"
      ? referenceClusterSeams({
          zeroTimeStreakLimit: 65_536,
          tokenlessPassLimit: 1e6,
          livelockMinPasses: 1024,
          livelockWorkFactor: 8,
        })
      : {};
  const before = heldBytes();
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const sim = new ClusterSimulation(trace, options, seams);
  sim.run();
  const wallS = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const retainedBytes = heldBytes() - before;
  let outputTokens = 0;
  for (let i = 0; i < trace.count; i++) outputTokens += sim.collector.tokenCount[i] as number;
  const result: ReplayChildResult = {
    requests: trace.count,
    outputTokens,
    cpuS: (cpu.user + cpu.system) / 1e6,
    wallS,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    retainedBytes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
