// Whether a grid gets KV-tier columns: some point keeps a host or disk tier on the workers that compute prompts.

import { describe, expect, it } from "vitest";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { gridHasKvTiers } from "../../src/parallel/sweep/grid-kv-tiers.js";

const HOST = { host_kv_blocks: 16, host_kv_bandwidth: 5, kv_bytes_per_token: 1024 };
const has = (grid: Record<string, unknown>): boolean => gridHasKvTiers(sweepGridFromObject(grid));

describe("gridHasKvTiers", () => {
  it("is false without any tier, and for a tier set to 0 blocks", () => {
    expect(has({ workers: [1, 2], prefill_decode: ["1:1"] })).toBe(false);
    expect(has({ workers: [1], engine_args: [{ host_kv_blocks: 0 }] })).toBe(false);
  });

  it("is true when one engine-args value of an agg grid has a host or disk tier", () => {
    expect(has({ workers: [1], engine_args: { gpu: {}, host: HOST } })).toBe(true);
    const disk = { disk_kv_blocks: 64, disk_kv_bandwidth: 1, kv_bytes_per_token: 1024 };
    expect(has({ workers: [1], engine_args: [disk] })).toBe(true);
  });

  it("in disagg looks at the prefill pool only (decode workers keep no tier)", () => {
    expect(has({ prefill_decode: ["1:1"], prefill_engine_args: [{}, HOST] })).toBe(true);
    expect(has({ prefill_decode: ["1:1"], engine_args: [HOST] })).toBe(true);
    expect(has({ prefill_decode: ["1:1"], decode_engine_args: [HOST] })).toBe(false);
    // A prefill override turning the shared tier off.
    expect(
      has({ prefill_decode: ["1:1"], engine_args: [HOST], prefill_engine_args: [{ host_kv_blocks: 0 }] }),
    ).toBe(false);
  });
});
