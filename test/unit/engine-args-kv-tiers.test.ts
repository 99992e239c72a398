// The tier engine args (docs/design.md#kv-tiers): ranges, the fields a tier needs, one-line errors.
import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { tierConfigOf } from "../../src/sim/engine/kv-tiers.js";

function errorOf(input: unknown): string {
  try {
    parseEngineArgs(input, "--engine-args");
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}

const HOST = { kv_bytes_per_token: 327_680, host_kv_blocks: 1000, host_kv_bandwidth: 50 };

describe("KV tier engine args", () => {
  it("default to no tier, which builds no tier chain", () => {
    const args = parseEngineArgs({}, "t");
    expect([args.host_kv_blocks, args.disk_kv_blocks]).toEqual([0, 0]);
    expect(tierConfigOf(args)).toBeNull();
  });

  it("size a transfer from block_size × kv_bytes_per_token", () => {
    const args = parseEngineArgs({ ...HOST, block_size: 16, disk_kv_blocks: 5, disk_kv_bandwidth: 7 }, "t");
    // 16 tokens × 327,680 B = 5,242,880 B per block.
    expect(tierConfigOf(args)).toEqual({
      hostBlocks: 1000,
      hostBandwidthGBps: 50,
      diskBlocks: 5,
      diskBandwidthGBps: 7,
      bytesPerBlock: 5_242_880,
    });
  });

  it.each([
    [
      { host_kv_blocks: 10, host_kv_bandwidth: 50 },
      '--engine-args: field "kv_bytes_per_token": must be set when host_kv_blocks is 10: it sizes every tier transfer',
    ],
    [
      { disk_kv_blocks: 3, disk_kv_bandwidth: 7 },
      '--engine-args: field "kv_bytes_per_token": must be set when disk_kv_blocks is 3: it sizes every tier transfer',
    ],
    [
      { kv_bytes_per_token: 1, host_kv_blocks: 10 },
      '--engine-args: field "host_kv_bandwidth": must be set (GB/s) when host_kv_blocks is 10',
    ],
    [
      { ...HOST, host_kv_bandwidth: 0 },
      '--engine-args: field "host_kv_bandwidth": must be a bandwidth in GB/s in [0.000001, 1000000], or null (got 0)',
    ],
    [
      { ...HOST, disk_kv_blocks: 1, disk_kv_bandwidth: -7 },
      '--engine-args: field "disk_kv_bandwidth": must be a bandwidth in GB/s in [0.000001, 1000000], or null (got -7)',
    ],
    [
      { host_kv_blocks: -1 },
      '--engine-args: field "host_kv_blocks": must be an integer in 0..1073741824 (0 = no host tier) (got -1)',
    ],
    [
      { disk_kv_blocks: 1.5 },
      '--engine-args: field "disk_kv_blocks": must be an integer in 0..1073741824 (0 = no disk tier) (got 1.5)',
    ],
    [
      { ...HOST, enable_prefix_caching: false },
      '--engine-args: field "host_kv_blocks": needs enable_prefix_caching: true (a tier only serves prefix hits)',
    ],
    [
      { host_kv_blocks: "many" },
      '--engine-args: field "host_kv_blocks": must be an integer in 0..1073741824 (0 = no host tier) (got "many")',
    ],
  ])("rejects %j in one line", (input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it("accepts a bandwidth without a tier (unused) and a disk tier without a host tier", () => {
    expect(parseEngineArgs({ host_kv_bandwidth: 50 }, "t").host_kv_blocks).toBe(0);
    const args = parseEngineArgs({ kv_bytes_per_token: 2, disk_kv_blocks: 8, disk_kv_bandwidth: 7 }, "t");
    expect(tierConfigOf(args)?.hostBlocks).toBe(0);
  });
});
