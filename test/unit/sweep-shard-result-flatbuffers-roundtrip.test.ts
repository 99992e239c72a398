import { describe, expect, it } from "vitest";
import { decodeShardResult, encodeShardResult } from "../../src/parallel/schema/shard-result-file.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { buildReport } from "../../src/report/summary.js";
import { TrafficAccumulator } from "../../src/signals/traffic-accumulator.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { RequestCollector } from "../../src/sim/collector.js";
import { buildReplaySyntheticTrace } from "../../src/trace/synth/replay-synthetic.js";
import { InputError } from "../../src/util/errors.js";

describe("the shard-result FlatBuffers file", () => {
  const trace = buildReplaySyntheticTrace({
    inputTokens: 700,
    outputTokens: 20,
    requestCount: 40,
    arrivalIntervalMs: 15,
    blockSize: 64,
  });
  const run = runReplay(trace, resolveClusterOptions({ numWorkers: 2, seed: 1 }, trace.traceBlockSize));
  const traffic = run.simulation.traffic.toFloat64Array();
  const globalIds = Uint32Array.from({ length: trace.count }, (_, i) => 1000 + i);
  const data = {
    shardIndex: 2,
    shardCount: 5,
    traceChecksum: trace.sourceChecksum,
    globalIds,
    collector: run.simulation.collector.exportState(),
    traffic,
    wallTimeMs: 3.5,
    metadata: { config: { num_workers: 2 }, kvsim: "0.1.0" },
  };

  it("round-trips the collector columns, pooled accumulators and traffic sums exactly", () => {
    const bytes = encodeShardResult(data);
    const back = decodeShardResult(bytes, "s.kvshard");
    expect(back.shardIndex).toBe(2);
    expect(back.shardCount).toBe(5);
    expect(back.traceChecksum).toBe(trace.sourceChecksum);
    expect(back.metadata).toEqual(data.metadata);
    expect(Array.from(back.globalIds)).toEqual(Array.from(globalIds));
    expect(Array.from(back.traffic)).toEqual(Array.from(traffic));
    expect(Array.from(back.collector.pooled)).toEqual(Array.from(data.collector.pooled));
    // Zero-copy: the columns are views into the file's bytes.
    expect(back.collector.firstTokenMs.buffer).toBe(bytes.buffer);
    // The rebuilt collector gives the same report, byte for byte (wall time fixed).
    const rebuilt = RequestCollector.fromState(back.collector);
    expect(buildReport(rebuilt, trace, 1)).toEqual(buildReport(run.simulation.collector, trace, 1));
    expect(TrafficAccumulator.fromFloat64Array(back.traffic).toFloat64Array()).toEqual(traffic);
  });

  it("refuses a sweep-row file and a truncated shard with one-line errors", () => {
    expect(() => decodeShardResult(new Uint8Array(16), "z.kvshard")).toThrow(
      new InputError('z.kvshard: not a .kvshard file (no "KVSH" identifier)'),
    );
    const bytes = encodeShardResult(data);
    expect(() => decodeShardResult(bytes.subarray(0, 64), "t.kvshard")).toThrow(
      /^t\.kvshard: corrupt \.kvshard file/,
    );
  });
});
