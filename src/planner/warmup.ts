// Load-predictor warm-up from a Mooncake trace (docs/planner.md#predictor-warm-up,
// `extract_metrics_from_mooncake`): requests are bucketed by
// floor((timestamp_ms / 1000) / interval) · interval seconds; every bucket that holds at least one request
// yields its request count and mean ISL/OSL, in ascending bucket order. Empty buckets are not emitted (so idle
// gaps in the trace do not feed zeros). Timestamps are used as they are in the trace (not shifted to 0), as
// upstream does. The KV-hit-rate predictor is never warmed (the trace has no router).
import type { TraceColumns } from "../trace/columns.js";
import type { TrafficObservation } from "./types.js";

export interface WarmupObservation {
  readonly bucketStartS: number;
  readonly requestCount: number;
  readonly avgIsl: number;
  readonly avgOsl: number;
}

export function extractWarmupObservations(trace: TraceColumns, intervalS: number): WarmupObservation[] {
  if (!(intervalS > 0) || !Number.isFinite(intervalS)) {
    throw new RangeError(`warm-up interval must be a positive number of seconds, got ${intervalS}`);
  }
  const buckets = new Map<number, { count: number; islSum: number; oslSum: number }>();
  for (let i = 0; i < trace.count; i++) {
    const start = Math.floor(trace.arrivalMs[i]! / 1000 / intervalS) * intervalS;
    let bucket = buckets.get(start);
    if (bucket === undefined) {
      bucket = { count: 0, islSum: 0, oslSum: 0 };
      buckets.set(start, bucket);
    }
    bucket.count += 1;
    bucket.islSum += trace.inputTokens[i]!;
    bucket.oslSum += trace.outputTokens[i]!;
  }
  return [...buckets.keys()]
    .sort((a, b) => a - b)
    .map((start) => {
      const b = buckets.get(start)!;
      return {
        bucketStartS: start,
        requestCount: b.count,
        avgIsl: b.islSum / b.count,
        avgOsl: b.oslSum / b.count,
      };
    });
}

/** Warm-up observations as traffic windows of `intervalS` seconds with no hit rate (what the adapter feeds). */
export function warmupTrafficObservations(
  observations: readonly WarmupObservation[],
  intervalS: number,
): TrafficObservation[] {
  return observations.map((o) => ({
    durationS: intervalS,
    numReq: o.requestCount,
    isl: o.avgIsl,
    osl: o.avgOsl,
    kvHitRate: null,
  }));
}
