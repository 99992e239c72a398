// Cost of one planner tick under the kvsim policy against the reference (dynamo) policy on the same inputs,
// measured in the same run: a disagg SLA planner (4 prefill + 4 decode engines, bootstrapped regressions) fed
// the same 240 load ticks (20 simulated minutes at 5 s; a traffic window on every tick, a forward pass per engine,
// backlogs). Ratio = kvsim / dynamo per tick (lower is better); issue target: kvsim ≤ 2× dynamo. CPU-time clock.
import { Bench, type Task } from "tinybench";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PlannerStateMachine } from "../../src/planner/state-machine.js";
import type { ForwardPassMetrics, FpmMap, TickInput } from "../../src/planner/types.js";
import { fpmKey } from "../../src/planner/types.js";
import type { StageBacklog } from "../../src/signals/backlog.js";
import type { BenchRow, BenchSuite } from "../lib.js";

const TICKS = 240;
const ENGINES = 4;

function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function meanMs(task: Task | undefined): number {
  const r = task?.result;
  if (r === undefined || r.state !== "completed")
    throw new Error(`task ${task?.name ?? "?"} did not complete`);
  return r.period;
}

function pass(
  worker: number,
  prefill: number,
  decode: number,
  kv: number,
  queued: number,
): ForwardPassMetrics {
  return {
    workerId: String(worker),
    dpRank: 0,
    counterId: 0,
    wallTime: 0.01 + prefill / 100_000 + decode * 0.0005 + kv * 1e-8,
    scheduled: {
      numPrefillRequests: prefill > 0 ? 1 : 0,
      sumPrefillTokens: prefill,
      varPrefillLength: 0,
      sumPrefillKvTokens: 0,
      numDecodeRequests: decode,
      sumDecodeKvTokens: kv,
      varDecodeKvTokens: 0,
    },
    queued: {
      numPrefillRequests: queued > 0 ? 1 : 0,
      sumPrefillTokens: queued,
      varPrefillLength: 0,
      numDecodeRequests: 0,
      sumDecodeKvTokens: 0,
      varDecodeKvTokens: 0,
    },
  };
}

function fpmMap(k: number, decode: boolean): FpmMap {
  const m = new Map<string, ForwardPassMetrics>();
  for (let w = 0; w < ENGINES; w++) {
    const f = decode
      ? pass(w, 0, 8 + ((k + w) % 16), 40_000 + 1000 * w, 0)
      : pass(w, 2000 + 500 * ((k + w) % 8), 0, 0, 4000 * (w % 2));
    m.set(fpmKey(f.workerId, 0), f);
  }
  return m;
}

/** The same inputs for both policies: a rate that swings between 2 and 6 req/s. */
function inputs(): TickInput[] {
  const out: TickInput[] = [];
  const backlog: StageBacklog = {
    routerQueuedRequests: 2,
    routerQueuedPromptTokens: 12_000,
    enginePrefillRequests: 3,
    enginePrefillPromptTokens: 18_000,
    enginePrefillUncachedTokens: 9000,
  };
  for (let k = 0; k < TICKS; k++) {
    const arrivals = Math.round(20 + 10 * Math.sin(k / 10));
    const ttft = new Array<number>(20).fill(0);
    ttft[7] = arrivals;
    const itl = new Array<number>(19).fill(0);
    itl[3] = arrivals;
    out.push({
      nowS: 5 * (k + 1),
      traffic: {
        durationS: 5,
        numReq: arrivals,
        isl: 6000,
        osl: 300,
        kvHitRate: 0.3,
        arrivals: { numReq: arrivals, isl: 6000, osl: 300 },
        engineReusedTokens: 0.3 * 6000 * arrivals,
        engineQueriedTokens: 6000 * arrivals,
        routerKvHitRate: 0.3,
        ttftBucketCounts: ttft,
        itlBucketCounts: itl,
      },
      workerCounts: {
        readyNumPrefill: ENGINES,
        readyNumDecode: ENGINES,
        expectedNumPrefill: ENGINES,
        expectedNumDecode: ENGINES,
      },
      fpmObservations: { prefill: fpmMap(k, false), decode: fpmMap(k, true) },
      backlog: { prefill: backlog, decode: null },
    });
  }
  return out;
}

function bootstrap(): { prefill: ForwardPassMetrics[]; decode: ForwardPassMetrics[] } {
  const prefill: ForwardPassMetrics[] = [];
  const decode: ForwardPassMetrics[] = [];
  for (let i = 1; i <= 16; i++) prefill.push(pass(0, 512 * i, 0, 0, 0));
  for (let i = 1; i <= 16; i++) decode.push(pass(0, 0, 4 * i, 7000 * i + 3000 * (i % 3), 0));
  return { prefill, decode };
}

function runTicks(policy: "dynamo" | "kvsim", ticks: readonly TickInput[]): void {
  const config = parsePlannerConfig({
    mode: "disagg",
    optimization_target: "sla",
    scaling_policy: policy,
    enable_load_scaling: true,
    enable_throughput_scaling: true,
    load_adjustment_interval: 5,
    throughput_adjustment_interval: 60,
    load_predictor: "kalman",
    ttft: 2000,
    itl: 50,
    max_gpu_budget: 64,
  });
  const sm = new PlannerStateMachine(config, {
    prefill: { numGpu: 1, maxNumBatchedTokens: 8192, maxNumSeqs: 256, maxKvTokens: 1_048_576 },
    decode: { numGpu: 1, maxNumBatchedTokens: 8192, maxNumSeqs: 256, maxKvTokens: 1_048_576 },
  });
  sm.loadBenchmarkFpms(bootstrap());
  let tick = sm.initialTick(0);
  for (const input of ticks) {
    tick = sm.onTick(tick, { ...input, nowS: tick.atS }).nextTick;
  }
}

export const suite: BenchSuite = {
  name: "planner",
  async run(): Promise<readonly BenchRow[]> {
    const ticks = inputs();
    const bench = new Bench({
      time: 3000,
      iterations: 10,
      warmupTime: 500,
      warmupIterations: 3,
      now: processCpuMs,
    });
    bench.add("dynamo", () => runTicks("dynamo", ticks)).add("kvsim", () => runTicks("kvsim", ticks));
    await bench.run();
    const dynamoUs = (meanMs(bench.tasks[0]) * 1000) / TICKS;
    const kvsimUs = (meanMs(bench.tasks[1]) * 1000) / TICKS;
    const ratio = kvsimUs / dynamoUs;
    return [
      {
        name: "planner tick, scaling_policy kvsim (disagg, 4P+4D, 240 ticks)",
        unit: "µs/tick",
        value: kvsimUs,
        baseline: { name: "scaling_policy dynamo, same inputs", value: dynamoUs },
        ratio,
        target: { text: "≤ 2× dynamo", met: ratio <= 2 },
        note: "ratio = kvsim / dynamo (lower is better); each run builds the state machine and its regressions",
      },
    ];
  },
};
