import * as flatbuffers from "flatbuffers";
import { describe, expect, it } from "vitest";
import { SweepRows } from "../../src/parallel/schema/generated/sweep_rows_generated.js";
import { decodeSweepRows, encodeSweepRows } from "../../src/parallel/schema/sweep-rows-file.js";
import type { SweepRow } from "../../src/parallel/sweep/row.js";
import { PLANNER_ROW_KEYS, ROW_METRIC_KEYS } from "../../src/report/capacity/row-keys.js";
import { InputError } from "../../src/util/errors.js";

function metrics(seed: number): Float64Array {
  return Float64Array.from(ROW_METRIC_KEYS, (_, k) => seed + k / 7);
}

const AGG: SweepRow = {
  index: 0,
  id: "agg2/kv",
  trace: "conv",
  mode: "agg",
  numWorkers: 2,
  numPrefillWorkers: null,
  numDecodeWorkers: null,
  routerMode: "kv",
  routerConfig: "default",
  engineArgs: "big",
  prefillEngineArgs: null,
  decodeEngineArgs: null,
  plannerConfig: null,
  arrivalSpeedupRatio: 1.5,
  concurrency: null,
  seed: 4294967295,
  gpuCount: 2,
  gpuHours: 0.125,
  slaPass: null,
  metrics: metrics(1),
  plannerMetrics: null,
  kvTierMetrics: null,
  wallTimeMs: 12.5,
  config: {
    id: "agg2/kv",
    engine_args: { label: "big", value: { num_gpu_blocks: 8192 } },
    concurrency: null,
  },
};

const DISAGG: SweepRow = {
  ...AGG,
  index: 3,
  id: "p1d2/pc:scaler",
  mode: "disagg",
  numWorkers: null,
  numPrefillWorkers: 1,
  numDecodeWorkers: 2,
  prefillEngineArgs: "pe0",
  decodeEngineArgs: "de1",
  plannerConfig: "scaler",
  concurrency: 16,
  seed: 0,
  gpuCount: 5,
  slaPass: true,
  metrics: metrics(-3),
  plannerMetrics: Float64Array.from(PLANNER_ROW_KEYS, (_, k) => k * 0.5),
  config: { planner_config: { label: "scaler", value: { mode: "disagg" } }, nested: [1, "two", null, 3.25] },
};

const FILE = {
  gridHash: "abc123",
  shardIndex: 1,
  shardCount: 3,
  totalPoints: 7,
  withPlanner: true,
  withKvTiers: false,
  rows: [AGG, DISAGG],
};

describe("the sweep-row FlatBuffers file", () => {
  it("round-trips every field, nulls and the msgpack config included", () => {
    const decoded = decodeSweepRows(encodeSweepRows(FILE), "rows.kvsweep");
    expect(decoded).toEqual(FILE);
    // A one-byte-off copy (unaligned buffer) reads the same.
    const bytes = encodeSweepRows(FILE);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(decodeSweepRows(shifted, "x")).toEqual(FILE);
  });

  it("is readable through the generated schema API alone, as another language would read it", () => {
    const t = SweepRows.getRootAsSweepRows(new flatbuffers.ByteBuffer(encodeSweepRows(FILE)));
    expect(SweepRows.bufferHasIdentifier(new flatbuffers.ByteBuffer(encodeSweepRows(FILE)))).toBe(true);
    expect(t.version()).toBe(1);
    expect(t.metricNames(0)).toBe("num_requests");
    expect(t.metricNamesLength()).toBe(ROW_METRIC_KEYS.length);
    const p99 = ROW_METRIC_KEYS.indexOf("p99_ttft_ms");
    const row = t.rows(1);
    expect(row?.id()).toBe("p1d2/pc:scaler");
    expect(row?.numWorkers()).toBe(-1); // -1 = not applicable
    expect(row?.numDecodeWorkers()).toBe(2);
    expect(row?.slaPass()).toBe(1);
    expect(t.rows(0)?.slaPass()).toBe(-1); // no question
    expect(row?.metrics(p99)).toBe(-3 + p99 / 7);
  });

  it("refuses foreign bytes and another metric layout with a one-line error", () => {
    expect(() => decodeSweepRows(new TextEncoder().encode('{"not":"flatbuffers"}'), "a.kvsweep")).toThrow(
      new InputError('a.kvsweep: not a readable .kvsweep file (no "KVSW" identifier)'),
    );
    const bytes = encodeSweepRows(FILE);
    // Corrupt the first metric name ("num_requests" → "xum_requests") in place.
    const at = Buffer.from(bytes).indexOf("num_requests");
    const tampered = bytes.slice();
    tampered[at] = "x".charCodeAt(0);
    expect(() => decodeSweepRows(tampered, "b.kvsweep")).toThrow(
      "b.kvsweep: not a readable .kvsweep file (its metric columns differ",
    );
  });
});
