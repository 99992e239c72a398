// Mock-engine benchmarks: the fast engine (typed arrays) against the reference engine (objects, Maps) on the
// same synthetic load in the same run, plus one engine's share of the Mooncake conversation trace.
// Clock = this process's CPU time (user + system): the machine is shared, wall time would measure the others.
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { EngineWorker } from "../../src/sim/engine/engine-worker.js";
import { PassResult } from "../../src/sim/engine/pass-result.js";
import { PolynomialPassTimeModel } from "../../src/sim/engine/pass-time-polynomial.js";
import { RequestTable } from "../../src/sim/request-table.js";
import type { TraceColumns } from "../../src/trace/columns.js";
import { readTrace } from "../../src/trace/read-trace.js";
import { defaultTracePath } from "../../src/util/package-root.js";
import { ReferenceEngine } from "../../test/oracles/reference-engine.js";
import { tinyTrace } from "../../test/oracles/tiny-trace.js";
import type { BenchRow, BenchSuite } from "../lib.js";

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface RunStats {
  readonly tokens: number;
  readonly passes: number;
  readonly completed: number;
  readonly cpuMs: number;
}

/** Plays arrivals (sorted by time) into one engine, passes back to back; the same loop for both engines. */
interface Engine {
  enqueue(id: number): void;
  hasWork(): boolean;
  /** Runs a pass; returns [endMs, tokens, completed, madeProgress]. */
  pass(nowMs: number): void;
  readonly endMs: number;
  readonly tokens: number;
  readonly completed: number;
  readonly progress: boolean;
}

function fastEngine(worker: EngineWorker, requests: RequestTable): Engine {
  const r = new PassResult(256);
  return {
    enqueue: (id) => worker.enqueue(id),
    hasWork: () => worker.hasWork(),
    pass(nowMs) {
      worker.executePass(nowMs, r);
      for (let i = 0; i < r.tokenCount; i++)
        if (r.tokenCompleted[i] === 1) requests.release(r.tokenIds[i] as number);
    },
    get endMs() {
      return r.endMs;
    },
    get tokens() {
      return r.tokenCount;
    },
    get completed() {
      return r.completedCount;
    },
    get progress() {
      return r.madeProgress;
    },
  };
}

function referenceEngine(ref: ReferenceEngine): Engine {
  let last = { endMs: 0, tokens: 0, completed: 0, progress: false };
  return {
    enqueue: (id) => ref.enqueue(id),
    hasWork: () => ref.hasWork(),
    pass(nowMs) {
      const p = ref.executePass(nowMs);
      last = {
        endMs: p.endMs,
        tokens: p.tokens.length,
        completed: p.tokens.filter((t) => t.completed).length,
        progress: p.madeProgress,
      };
    },
    get endMs() {
      return last.endMs;
    },
    get tokens() {
      return last.tokens;
    },
    get completed() {
      return last.completed;
    },
    get progress() {
      return last.progress;
    },
  };
}

function play(engine: Engine, ids: Int32Array, arrivalMs: Float64Array): RunStats {
  const start = cpuMs();
  let now = 0;
  let next = 0;
  let tokens = 0;
  let passes = 0;
  let completed = 0;
  for (;;) {
    while (next < ids.length && (arrivalMs[next] as number) <= now) engine.enqueue(ids[next++] as number);
    if (!engine.hasWork()) {
      if (next >= ids.length) break;
      now = arrivalMs[next] as number;
      continue;
    }
    engine.pass(now);
    passes++;
    tokens += engine.tokens;
    completed += engine.completed;
    if (engine.progress) now = engine.endMs;
    else if (next < ids.length) now = Math.max(now, arrivalMs[next] as number);
    else break;
  }
  return { tokens, passes, completed, cpuMs: cpuMs() - start };
}

/** 64 requests start together and decode side by side: the engine's steady-state inner loop. */
function decodeLoad(outputTokens: number): { trace: TraceColumns; ids: Int32Array; arrivals: Float64Array } {
  const n = 64;
  const trace = tinyTrace(
    Array.from({ length: n }, (_, i) => ({ isl: 1024, osl: outputTokens, hashIds: [i * 4 + 1, i * 4 + 2] })),
    512,
  );
  return { trace, ids: Int32Array.from({ length: n }, (_, i) => i), arrivals: new Float64Array(n) };
}

const args = parseEngineArgs({ block_size: 64, num_gpu_blocks: 16384 }, "bench");

function runFast(trace: TraceColumns, ids: Int32Array, arrivals: Float64Array, repeat: number): RunStats {
  let total: RunStats = { tokens: 0, passes: 0, completed: 0, cpuMs: 0 };
  for (let k = 0; k < repeat; k++) {
    const requests = new RequestTable(trace, args.block_size);
    const worker = new EngineWorker({
      id: 0,
      role: "aggregated",
      args,
      passTime: new PolynomialPassTimeModel(),
      requests,
    });
    const s = play(fastEngine(worker, requests), ids, arrivals);
    total = {
      tokens: total.tokens + s.tokens,
      passes: total.passes + s.passes,
      completed: total.completed + s.completed,
      cpuMs: total.cpuMs + s.cpuMs,
    };
  }
  return total;
}

function runReference(trace: TraceColumns, ids: Int32Array, arrivals: Float64Array): RunStats {
  const requests = new RequestTable(trace, args.block_size);
  const ref = new ReferenceEngine({
    role: "aggregated",
    args,
    passTime: new PolynomialPassTimeModel(),
    requests,
  });
  return play(referenceEngine(ref), ids, arrivals);
}

/** Every 8th request of the Mooncake conversation trace: one worker's round-robin share of an 8-worker cluster. */
function mooncakeShare(): { trace: TraceColumns; ids: Int32Array; arrivals: Float64Array } {
  const trace = readTrace(defaultTracePath()).columns;
  const picked: number[] = [];
  for (let i = 0; i < trace.count; i += 8) picked.push(i);
  const t0 = trace.arrivalMs[0] as number;
  return {
    trace,
    ids: Int32Array.from(picked),
    arrivals: Float64Array.from(picked, (i) => (trace.arrivalMs[i] as number) - t0),
  };
}

export const suite: BenchSuite = {
  name: "engine",
  async run(): Promise<readonly BenchRow[]> {
    const rows: BenchRow[] = [];
    const load = decodeLoad(1000);
    runFast(load.trace, load.ids, load.arrivals, 2); // warm-up
    const fast = runFast(load.trace, load.ids, load.arrivals, 10);
    const refLoad = decodeLoad(250);
    runReference(refLoad.trace, refLoad.ids, refLoad.arrivals); // warm-up
    const ref = runReference(refLoad.trace, refLoad.ids, refLoad.arrivals);
    const fastTokS = fast.tokens / (fast.cpuMs / 1000);
    const refTokS = ref.tokens / (ref.cpuMs / 1000);
    rows.push({
      name: "engine: 64 concurrent decoding requests (isl 1024), 1 worker, output tokens per CPU second",
      unit: "tok/s",
      value: fastTokS,
      baseline: { name: "reference engine", value: refTokS },
      ratio: fastTokS / refTokS,
      note: `fast ${((fast.cpuMs * 1e6) / fast.tokens).toFixed(0)} ns/token over ${fast.tokens} tokens; reference ${((ref.cpuMs * 1e6) / ref.tokens).toFixed(0)} ns/token over ${ref.tokens} tokens`,
    });
    const fastPassS = fast.passes / (fast.cpuMs / 1000);
    const refPassS = ref.passes / (ref.cpuMs / 1000);
    rows.push({
      name: "engine: 64 concurrent decoding requests, passes per CPU second",
      unit: "passes/s",
      value: fastPassS,
      baseline: { name: "reference engine", value: refPassS },
      ratio: fastPassS / refPassS,
    });
    const share = mooncakeShare();
    runFast(share.trace, share.ids, share.arrivals, 1); // warm-up
    const m = runFast(share.trace, share.ids, share.arrivals, 3);
    const nsPerToken = (m.cpuMs * 1e6) / m.tokens;
    rows.push({
      name: `engine: Mooncake conversation trace, every 8th request (${share.ids.length}), 1 worker, CPU per output token`,
      unit: "ns/token",
      value: nsPerToken,
      target: { text: "≤ 500 ns/token for the whole replay", met: nsPerToken <= 500 },
      note: `${(m.completed / 3).toFixed(0)} requests, ${(m.tokens / 3).toFixed(0)} tokens, ${(m.passes / 3).toFixed(0)} passes per run; ${((m.completed / m.cpuMs) * 1000).toFixed(0)} requests per CPU second`,
    });
    return rows;
  },
};
