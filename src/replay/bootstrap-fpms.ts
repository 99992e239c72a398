// Pre-deployment regression bootstrap for the replay (docs/planner-in-the-loop.md#regression-bootstrap): synthetic forward passes that sweep the
// engine's own pass-time model, so an SLA planner starts with fitted models instead of waiting for live samples.
//
//   prefill: ISL = 100, 100 + s, 100 + 2s, … ≤ max_num_batched_tokens (8192 when unlimited),
//            s = max(1, ⌊(max − 100) / granularity⌋), one request per pass
//   decode:  ctx ∈ {500, 2000, 4000, 8000} × batch = 1, 1 + s, … ≤ max_num_seqs, s = max(1, ⌊max_num_seqs /
//            granularity⌋), stopping (per ctx) at the first batch whose batch·ctx exceeds max_kv_tokens
//
// Pass times are the engine's: the pass-time model's milliseconds divided by the speedup ratios the scheduler applies.

import type { ForwardPassMetrics } from "../planner/types.js";
import type { ClusterOptions } from "../sim/cluster/cluster-options.js";
import type { EngineArgs } from "../sim/engine/engine-args.js";
import { passTimeModelFromArgs } from "../sim/engine/pass-time-arg.js";
import type { PassTimeModel } from "../sim/engine/pass-time-model.js";
import { maxKvTokensOf } from "./capabilities.js";

export const DEFAULT_BENCHMARK_GRANULARITY = 8;
/** Token budget assumed for the prefill sweep when the engine's is unlimited. */
export const DEFAULT_SWEEP_MAX_BATCHED_TOKENS = 8192;
export const SWEEP_MIN_ISL = 100;
export const SWEEP_DECODE_CONTEXTS: readonly number[] = [500, 2000, 4000, 8000];

export interface BenchmarkFpms {
  readonly prefill: readonly ForwardPassMetrics[];
  readonly decode: readonly ForwardPassMetrics[];
}

/** The scheduler's divisors: prefill by speedup_ratio, decode by speedup·decode_speedup (≤ 0 = unscaled). */
function speedups(args: EngineArgs): { prefill: number; decode: number } {
  const product = args.speedup_ratio * args.decode_speedup_ratio;
  return { prefill: args.speedup_ratio > 0 ? args.speedup_ratio : 1, decode: product > 0 ? product : 1 };
}

function checkGranularity(granularity: number): void {
  if (!(Number.isInteger(granularity) && granularity >= 1)) {
    throw new RangeError(`benchmark granularity must be an integer >= 1, got ${granularity}`);
  }
}

function benchmarkFpm(
  counterId: number,
  wallTimeS: number,
  prefill: { requests: number; tokens: number },
  decode: { requests: number; kvTokens: number },
): ForwardPassMetrics {
  return {
    workerId: "benchmark",
    dpRank: 0,
    counterId,
    wallTime: wallTimeS,
    scheduled: {
      numPrefillRequests: prefill.requests,
      sumPrefillTokens: prefill.tokens,
      varPrefillLength: 0,
      sumPrefillKvTokens: 0,
      numDecodeRequests: decode.requests,
      sumDecodeKvTokens: decode.kvTokens,
      varDecodeKvTokens: 0,
    },
    queued: {
      numPrefillRequests: 0,
      sumPrefillTokens: 0,
      varPrefillLength: 0,
      numDecodeRequests: 0,
      sumDecodeKvTokens: 0,
      varDecodeKvTokens: 0,
    },
  };
}

/** Single-request prefill passes over the ISL range: wall_time = prefillMs(1, isl, 0) / speedup / 1000. */
export function prefillBenchmarkFpms(
  args: EngineArgs,
  granularity: number,
  passTime: PassTimeModel = passTimeModelFromArgs(args),
): ForwardPassMetrics[] {
  checkGranularity(granularity);
  const maxIsl = args.max_num_batched_tokens ?? DEFAULT_SWEEP_MAX_BATCHED_TOKENS;
  const step = Math.max(1, Math.floor((maxIsl - SWEEP_MIN_ISL) / granularity));
  const scale = speedups(args).prefill;
  const out: ForwardPassMetrics[] = [];
  for (let isl = SWEEP_MIN_ISL; isl <= maxIsl; isl += step) {
    const wallTimeS = passTime.prefillMs(1, isl, 0) / scale / 1000;
    out.push(benchmarkFpm(out.length, wallTimeS, { requests: 1, tokens: isl }, { requests: 0, kvTokens: 0 }));
  }
  return out;
}

/** Decode steps of `bs` sequences of `ctx` tokens: wall_time = decodeMs(bs, bs·ctx, ctx, max_kv) / speedup / 1000. */
export function decodeBenchmarkFpms(
  args: EngineArgs,
  granularity: number,
  passTime: PassTimeModel = passTimeModelFromArgs(args),
): ForwardPassMetrics[] {
  checkGranularity(granularity);
  const maxSeqs = args.max_num_seqs;
  const step = Math.max(1, Math.floor(maxSeqs / granularity));
  const maxKv = maxKvTokensOf(args);
  const scale = speedups(args).decode;
  const out: ForwardPassMetrics[] = [];
  for (const ctx of SWEEP_DECODE_CONTEXTS) {
    for (let bs = 1; bs <= maxSeqs; bs += step) {
      const kv = bs * ctx;
      if (kv > maxKv) break;
      const wallTimeS = passTime.decodeMs(bs, kv, ctx, maxKv) / scale / 1000;
      out.push(
        benchmarkFpm(out.length, wallTimeS, { requests: 0, tokens: 0 }, { requests: bs, kvTokens: kv }),
      );
    }
  }
  return out;
}

/** Agg: both sweeps of the aggregated engine (the planner loads them into its one agg model). Disagg: per pool. */
export function benchmarkFpmsFor(options: ClusterOptions, granularity: number): BenchmarkFpms {
  if (options.mode === "agg") {
    const passTime = passTimeModelFromArgs(options.engineArgs);
    return {
      prefill: prefillBenchmarkFpms(options.engineArgs, granularity, passTime),
      decode: decodeBenchmarkFpms(options.engineArgs, granularity, passTime),
    };
  }
  return {
    prefill: prefillBenchmarkFpms(options.prefillEngineArgs, granularity),
    decode: decodeBenchmarkFpms(options.decodeEngineArgs, granularity),
  };
}
