// Whole-replay speed (docs/benchmarks.md#whole-replay): the embedded Mooncake conversation trace (12,031
// requests, ~4.1 M output tokens) through a simulated cluster with default engine args, on one thread. Every
// replay runs in a fresh process (`node --single-threaded`: V8 compiles and collects on the main thread too,
// so the process CPU time is the one thread's), timing the simulation only — the trace is read before the
// clock starts. The machine is a VM on a shared host: identical runs back to back on an idle guest differ by
// up to 1.5× in CPU time (2.67 s vs 3.90 s measured), so each fast figure is the fastest of five runs — the
// code's cost with the least interference — and the range of all five goes in the note. CPU time is
// the headline, wall time is reported beside it.
//
// Baseline in the same run: the slow reference cluster (ReferenceEngine objects per request + ReferenceRouter
// radix tree of Maps and Sets, one pass at a time, the same loop and collector) on the first 2,000 requests,
// compared per request and per output token with the fast cluster on the same 2,000 requests (like for like) and
// on the whole trace. Bytes per request beyond the trace columns = the growth of the memory a finished
// simulation retains (heap + ArrayBuffers, after a full GC) between the first half of the trace and all of it,
// divided by the extra requests: fixed structures (engine pools, router index) cancel out.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchRow, BenchSuite } from "../lib.js";
import type { ReplayChildResult } from "../replay-child.js";

const CHILD = fileURLToPath(new URL("../replay-child.js", import.meta.url));
const REFERENCE_REQUESTS = 2000;
const ROUNDS = 5;

function replayOnce(
  mode: string,
  router: string,
  engine: string,
  requests: number | "all",
  singleThreaded = true,
): ReplayChildResult {
  const flags = singleThreaded ? ["--expose-gc", "--single-threaded"] : ["--expose-gc"];
  const out = spawnSync(process.execPath, [...flags, CHILD, mode, router, engine, String(requests)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (out.status !== 0) throw new Error(`replay child failed (${mode} ${router} ${engine}): ${out.stderr}`);
  return JSON.parse(out.stdout.trim()) as ReplayChildResult;
}

interface Measured {
  readonly best: ReplayChildResult;
  readonly cpuRange: readonly [number, number];
}

/** ROUNDS runs; the one with the least CPU time, plus the CPU range over all of them. */
function measure(
  mode: string,
  router: string,
  requests: number | "all",
  rounds = ROUNDS,
  singleThreaded = true,
): Measured {
  const runs: ReplayChildResult[] = [];
  for (let k = 0; k < rounds; k++) runs.push(replayOnce(mode, router, "fast", requests, singleThreaded));
  runs.sort((a, b) => a.cpuS - b.cpuS);
  const best = runs[0] as ReplayChildResult;
  return { best, cpuRange: [(runs[0] as ReplayChildResult).cpuS, (runs.at(-1) as ReplayChildResult).cpuS] };
}

const usPerToken = (r: ReplayChildResult): number => (r.cpuS * 1e6) / r.outputTokens;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function speedRows(label: string, m: Measured, targets: boolean): BenchRow[] {
  const r = m.best;
  const spread = `fastest of ${ROUNDS} runs, CPU ${m.cpuRange[0].toFixed(2)}–${m.cpuRange[1].toFixed(2)} s`;
  const note = `${r.requests} requests, ${r.outputTokens} output tokens, ${r.cpuS.toFixed(2)} s CPU, ${r.wallS.toFixed(2)} s wall; peak RSS ${mib(r.peakRssBytes)}; ${spread}`;
  const wallRate = r.requests / r.wallS;
  const perToken = usPerToken(r);
  return [
    {
      name: `${label}: simulated requests per wall second (one thread)`,
      unit: "req/s",
      value: wallRate,
      ...(targets ? { target: { text: "≥ 5,000 req/s", met: wallRate >= 5000 } } : {}),
      note,
    },
    { name: `${label}: simulated requests per CPU second`, unit: "req/s", value: r.requests / r.cpuS },
    {
      name: `${label}: CPU per output token`,
      unit: "µs/token",
      value: perToken,
      ...(targets ? { target: { text: "≤ 0.2 µs/token", met: perToken <= 0.2 } } : {}),
    },
  ];
}

export const suite: BenchSuite = {
  name: "replay",
  async run(): Promise<readonly BenchRow[]> {
    const agg = measure("agg", "kv", "all");
    const rows: BenchRow[] = speedRows("agg, 8 workers, kv router", agg, true);
    // What a user's `kvsim replay` gets: default flags, so V8's GC and JIT also use the second core.
    const usual = measure("agg", "kv", "all", ROUNDS, false);
    const usualRate = usual.best.requests / usual.best.wallS;
    rows.push({
      name: "agg, 8 workers, kv router, default Node flags: simulated requests per wall second",
      unit: "req/s",
      value: usualRate,
      target: { text: "≥ 5,000 req/s", met: usualRate >= 5000 },
      note: `${usual.best.wallS.toFixed(2)} s wall using ${usual.best.cpuS.toFixed(2)} s CPU over all threads (${(usual.best.cpuS / usual.best.wallS).toFixed(2)} cores); fastest of ${ROUNDS}`,
    });

    // Like for like on the first requests: the reference cluster and the fast one.
    const reference = replayOnce("agg", "kv", "reference", REFERENCE_REQUESTS);
    const fastSubset = measure("agg", "kv", REFERENCE_REQUESTS).best;
    const refPerToken = usPerToken(reference);
    rows.push(
      {
        name: `agg kv, first ${REFERENCE_REQUESTS} requests: CPU per output token`,
        unit: "µs/token",
        value: usPerToken(fastSubset),
        baseline: { name: "reference engine + router", value: refPerToken },
        ratio: refPerToken / usPerToken(fastSubset),
        note: `ratio = reference / fast (lower is better); reference ${reference.cpuS.toFixed(2)} s CPU for ${reference.outputTokens} tokens`,
      },
      {
        name: "agg kv, whole trace vs reference per token (scaled from its first requests)",
        unit: "µs/token",
        value: usPerToken(agg.best),
        baseline: { name: `reference, first ${REFERENCE_REQUESTS} requests`, value: refPerToken },
        ratio: refPerToken / usPerToken(agg.best),
        note: "ratio = reference / fast; the reference is too slow for the whole trace, so its per-token cost on the first requests stands in",
      },
    );

    const half = replayOnce("agg", "kv", "fast", Math.floor(agg.best.requests / 2));
    const whole = replayOnce("agg", "kv", "fast", "all");
    const perRequest = (whole.retainedBytes - half.retainedBytes) / (whole.requests - half.requests);
    rows.push(
      {
        name: "agg kv: state per request beyond the trace columns",
        unit: "B/request",
        value: perRequest,
        target: { text: "≤ 300 B/request", met: perRequest <= 300 },
        note: `retained after the run: ${mib(half.retainedBytes)} for ${half.requests} requests, ${mib(whole.retainedBytes)} for ${whole.requests} (slope = per-request state; the rest is fixed-size pools)`,
      },
      { name: "agg kv: peak RSS", unit: "MiB", value: agg.best.peakRssBytes / 2 ** 20 },
    );

    // KV tiers on (docs/benchmarks.md#whole-replay): the same cluster with host and disk tiers, against the
    // agg run above (same trace, same rounds) — the cost of offloading, onboarding and the tier lookups.
    const tiered = measure("agg-tiers", "kv", "all");
    rows.push(...speedRows("agg, 8 workers, kv router, host + disk KV tiers", tiered, false));
    rows.push({
      name: "agg kv with host + disk KV tiers vs without: CPU per output token",
      unit: "µs/token",
      value: usPerToken(tiered.best),
      baseline: { name: "agg kv, no tiers (this run)", value: usPerToken(agg.best) },
      ratio: usPerToken(tiered.best) / usPerToken(agg.best),
      note: `fastest of ${ROUNDS}; tiered CPU ${tiered.cpuRange[0].toFixed(2)}–${tiered.cpuRange[1].toFixed(2)} s`,
    });
    rows.push(...speedRows("disagg 4P+4D, kv router", measure("disagg", "kv", "all"), false));
    // Planner in the loop (docs/benchmarks.md#whole-replay): the whole planner replay, report included.
    const planned = measure("planner", "kv", "all");
    rows.push({
      name: "planner in the loop (disagg from 2P+2D, SLA planner, 60 s / 5 s): CPU per replay",
      unit: "s",
      value: planned.best.cpuS,
      target: { text: "≤ 1.5 s", met: planned.best.cpuS <= 1.5 },
      note: `${planned.best.wallS.toFixed(2)} s wall; peak RSS ${mib(planned.best.peakRssBytes)}; fastest of ${ROUNDS}, CPU ${planned.cpuRange[0].toFixed(2)}–${planned.cpuRange[1].toFixed(2)} s`,
    });
    rows.push(...speedRows("agg, 8 workers, round robin", measure("agg", "round_robin", "all"), false));
    return rows;
  },
};
