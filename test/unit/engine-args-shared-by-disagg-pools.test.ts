import { describe, expect, it } from "vitest";
import { expandSweepGrid } from "../../src/parallel/sweep/expand.js";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { resolveSweepPoints } from "../../src/parallel/sweep/run-sweep.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";
import { SMALL_SYNTHETIC } from "../support/sweep-kit.js";

// One meaning of "engine args" everywhere: in disagg, --engine-args (a grid's engine_args) apply to both pools,
// and --prefill-engine-args / --decode-engine-args (prefill_engine_args / decode_engine_args) override them field
// by field. Defaults (docs/replay.md#engine-args): max_num_seqs 256, num_gpu_blocks 16384, block_size 64.
const FLAGS = {
  routerConfig: "--router-config",
  engineArgs: "--engine-args",
  prefillEngineArgs: "--prefill-engine-args",
  decodeEngineArgs: "--decode-engine-args",
};

function disagg(engineArgs?: string, prefill?: string, decode?: string, traceBlockSize = 64) {
  return resolveClusterOptions(
    {
      mode: "disagg",
      ...(engineArgs === undefined ? {} : { engineArgs }),
      ...(prefill === undefined ? {} : { prefillEngineArgs: prefill }),
      ...(decode === undefined ? {} : { decodeEngineArgs: decode }),
    },
    traceBlockSize,
    FLAGS,
  );
}

describe("--engine-args in disagg: both pools, per-pool flags on top", () => {
  it("block_size 32 shared, max_num_seqs 4 for prefill: prefill has both, decode has block_size 32", () => {
    const o = disagg('{"block_size":32}', '{"max_num_seqs":4}');
    expect([o.prefillEngineArgs.block_size, o.prefillEngineArgs.max_num_seqs]).toEqual([32, 4]);
    expect([o.decodeEngineArgs.block_size, o.decodeEngineArgs.max_num_seqs]).toEqual([32, 256]);
    expect([o.prefillEngineArgs.worker_type, o.decodeEngineArgs.worker_type]).toEqual(["prefill", "decode"]);
  });

  it("a pool's own value wins over the shared one, field by field", () => {
    const o = disagg('{"num_gpu_blocks":1000,"max_num_seqs":8}', undefined, '{"max_num_seqs":2}');
    expect([o.prefillEngineArgs.num_gpu_blocks, o.prefillEngineArgs.max_num_seqs]).toEqual([1000, 8]);
    expect([o.decodeEngineArgs.num_gpu_blocks, o.decodeEngineArgs.max_num_seqs]).toEqual([1000, 2]);
  });

  it("without --engine-args the pools are as their own flags say (defaults elsewhere)", () => {
    const o = disagg(undefined, '{"max_num_seqs":4}');
    expect(o.prefillEngineArgs.max_num_seqs).toBe(4);
    expect(o.decodeEngineArgs.max_num_seqs).toBe(256);
  });

  it("agg is unchanged: --engine-args are the aggregated workers' own", () => {
    const o = resolveClusterOptions({ engineArgs: '{"max_num_seqs":8}' }, 64, FLAGS);
    expect([o.engineArgs.max_num_seqs, o.engineArgs.worker_type]).toEqual([8, "aggregated"]);
  });

  it("a bad field is reported under the flag that set it", () => {
    expect(() => disagg('{"max_num_seqs":0}', '{"max_num_seqs":4}')).toThrow(
      '--engine-args: field "max_num_seqs": must be an integer in 1..1048576 (got 0)',
    );
    expect(() => disagg('{"max_num_seqs":4}', '{"max_num_seqs":0}')).toThrow(
      '--prefill-engine-args: field "max_num_seqs": must be an integer in 1..1048576 (got 0)',
    );
    // 48 does not divide 64; the shared args set it, so they are named (once, for the first pool).
    expect(() => disagg('{"block_size":48}')).toThrow(
      '--engine-args: field "block_size": must divide the trace block size 64 (got 48)',
    );
    // A worker_type in the shared args fits one pool only.
    expect(() => disagg('{"worker_type":"prefill"}')).toThrow(
      '--engine-args: field "worker_type": must be "decode" for this pool (got "prefill")',
    );
  });

  it("a sweep grid's disagg point resolves to the same pools as the replay flags", () => {
    const grid = sweepGridFromObject({
      traces: [SMALL_SYNTHETIC],
      prefill_decode: ["1:1"],
      engine_args: [{ block_size: 32 }],
      prefill_engine_args: [{ max_num_seqs: 4 }],
    });
    const trace = tinyTrace([{ isl: 64, osl: 1, hashIds: [1] }], 64);
    const [point] = resolveSweepPoints(grid, expandSweepGrid(grid), [trace]);
    const flags = disagg('{"block_size":32}', '{"max_num_seqs":4}');
    expect(point?.prefillEngineArgs).toEqual(flags.prefillEngineArgs);
    expect(point?.decodeEngineArgs).toEqual(flags.decodeEngineArgs);
  });
});
