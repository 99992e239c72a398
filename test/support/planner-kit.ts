// Small builders shared by the planner-core tests: FPMs, FPM maps, configs from snake_case overrides, planner
// state with regressions trained on exact linear data (so expected estimates can be worked out by hand).

import { type PlannerConfig, parsePlannerConfig } from "../../src/planner/config.js";
import { AggRegressionModel } from "../../src/planner/perf-model/agg.js";
import { createPlannerState, type PlannerState } from "../../src/planner/planner-state.js";
import { createPredictor } from "../../src/planner/predictors/factory.js";
import {
  type ForwardPassMetrics,
  type FpmMap,
  fpmKey,
  type ScheduledTick,
  type WorkerCapabilities,
} from "../../src/planner/types.js";

export interface FpmFields {
  readonly dpRank?: number;
  readonly wallTime?: number;
  readonly schedPrefillTokens?: number;
  readonly schedPrefillRequests?: number;
  readonly schedDecodeKv?: number;
  readonly schedDecodeRequests?: number;
  readonly queuedPrefillTokens?: number;
  readonly queuedDecodeKv?: number;
}

export function fpm(workerId: string, f: FpmFields = {}): ForwardPassMetrics {
  return {
    workerId,
    dpRank: f.dpRank ?? 0,
    counterId: 0,
    wallTime: f.wallTime ?? 0,
    scheduled: {
      numPrefillRequests: f.schedPrefillRequests ?? 0,
      sumPrefillTokens: f.schedPrefillTokens ?? 0,
      varPrefillLength: 0,
      sumPrefillKvTokens: 0,
      numDecodeRequests: f.schedDecodeRequests ?? 0,
      sumDecodeKvTokens: f.schedDecodeKv ?? 0,
      varDecodeKvTokens: 0,
    },
    queued: {
      numPrefillRequests: 0,
      sumPrefillTokens: f.queuedPrefillTokens ?? 0,
      varPrefillLength: 0,
      numDecodeRequests: 0,
      sumDecodeKvTokens: f.queuedDecodeKv ?? 0,
      varDecodeKvTokens: 0,
    },
  };
}

/** A forward pass with only scheduled work (nothing queued): the shape the perf-model tests fit on. */
export function passFpm(
  workerId: string,
  numPrefill: number,
  prefillTokens: number,
  numDecode: number,
  decodeKv: number,
  wallTime: number,
): ForwardPassMetrics {
  return fpm(workerId, {
    schedPrefillRequests: numPrefill,
    schedPrefillTokens: prefillTokens,
    schedDecodeRequests: numDecode,
    schedDecodeKv: decodeKv,
    wallTime,
  });
}

/**
 * An agg model fitted on the plane wall = 1e-4·p + 1e-5·d + 0.003 from five independent passes
 * (p, d, #prefill, #decode): (1000, 0, 1, 0), (2000, 10000, 2, 10), (0, 20000, 0, 20), (500, 5000, 1, 5),
 * (1500, 30000, 1, 15). avg ISL = (1000 + 1000 + 500 + 1500)/4 = 1000; avg decode len =
 * (1000 + 1000 + 1000 + 2000)/4 = 1250; avg prefill tokens per pass = (1000 + 2000 + 0 + 500 + 1500)/5 = 1000.
 */
export function aggPlaneModel(): AggRegressionModel {
  const m = new AggRegressionModel({ maxNumFpmSamples: 64, minObservations: 5, bucketCount: 16 });
  const passes: [number, number, number, number][] = [
    [1000, 0, 1, 0],
    [2000, 10000, 2, 10],
    [0, 20000, 0, 20],
    [500, 5000, 1, 5],
    [1500, 30000, 1, 15],
  ];
  for (const [p, d, np, nd] of passes)
    m.addObservation(passFpm("a0", np, p, nd, d, 1e-4 * p + 1e-5 * d + 0.003));
  return m;
}

export function fpmMap(...fpms: ForwardPassMetrics[]): FpmMap {
  return new Map(fpms.map((x) => [fpmKey(x.workerId, x.dpRank), x] as const));
}

/** `count` engines w0..w{count-1} with the same fields. */
export function engines(count: number, f: FpmFields = {}): FpmMap {
  return fpmMap(...Array.from({ length: count }, (_, i) => fpm(`w${i}`, f)));
}

export function config(overrides: Record<string, unknown> = {}): PlannerConfig {
  return parsePlannerConfig(overrides, { source: "test" });
}

export function state(overrides: Record<string, unknown>, caps: WorkerCapabilities = {}): PlannerState {
  return createPlannerState(config(overrides), caps, createPredictor);
}

export function setWorkers(s: PlannerState, prefill: number, decode: number): void {
  s.inventory.update({
    readyNumPrefill: prefill,
    readyNumDecode: decode,
    expectedNumPrefill: null,
    expectedNumDecode: null,
  });
}

/** Prefill regression data: wall = 0.001·x + 0.002 s at x = 500…2500 (one request each) → avg ISL 1500. */
export function prefillBenchmark(): ForwardPassMetrics[] {
  return [500, 1000, 1500, 2000, 2500].map((x) =>
    fpm("bench", { wallTime: 0.001 * x + 0.002, schedPrefillTokens: x, schedPrefillRequests: 1 }),
  );
}

/**
 * Decode regression data: wall = 0.01 + 1e-6·kv s, independent of the request count (its coefficient fits to
 * ≈ 0). Per-request KV of the points: 1000, 2500, 500, 1125, 1000 → avg decode length 1225.
 */
export function decodeBenchmark(): ForwardPassMetrics[] {
  const points: [number, number][] = [
    [1, 1000],
    [2, 5000],
    [4, 2000],
    [8, 9000],
    [3, 3000],
  ];
  return points.map(([n, kv]) =>
    fpm("bench", { wallTime: 0.01 + 1e-6 * kv, schedDecodeRequests: n, schedDecodeKv: kv }),
  );
}

/**
 * Agg regression data: wall = 0.001·p + 1e-6·kv + 0.005 s. Moving averages: avg ISL (per-request scheduled
 * prefill, passes with prefill) = (1000+2000+500+1500)/4 = 1250; avg decode length = (1000+2000+3000+1000)/4
 * = 1750; avg prefill tokens per pass (zeros after the first non-zero count) = (1000+2000+0+500+1500)/5 = 1000.
 */
export function aggBenchmark(): ForwardPassMetrics[] {
  const points: [number, number, number, number][] = [
    [1000, 1, 10000, 10],
    [2000, 1, 20000, 10],
    [0, 0, 30000, 10],
    [500, 1, 5000, 5],
    [1500, 1, 0, 0],
  ];
  return points.map(([p, np, kv, nd]) =>
    fpm("bench", {
      wallTime: 0.001 * p + 1e-6 * kv + 0.005,
      schedPrefillTokens: p,
      schedPrefillRequests: np,
      schedDecodeKv: kv,
      schedDecodeRequests: nd,
    }),
  );
}

export function tick(atS: number, kinds: { load?: boolean; throughput?: boolean }): ScheduledTick {
  return {
    atS,
    runLoadScaling: kinds.load ?? false,
    runThroughputScaling: kinds.throughput ?? false,
    needTrafficMetrics: kinds.throughput ?? false,
    trafficMetricsDurationS: 0,
    needWorkerStates: true,
    needWorkerFpm: kinds.load ?? false,
  };
}
