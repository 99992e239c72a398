import { describe, expect, it } from "vitest";
import { decodeMs, prefillMs, tinyCluster } from "../support/cluster-kit.js";

// Disagg (docs/design.md#disagg-handoff): the prefill worker runs the prompt with max output 1 and no decode
// time; the KV hand-off takes isl·bytes_per_token / (GB/s·1e9) s = 128 · 1e6 / 1e9 s = 128 ms; the decode
// worker then allocates the prompt's KV (no prefill time) and emits the first visible token after one decode
// step (2 blocks active).
describe("disaggregated cluster: prefill, KV hand-off, decode", () => {
  it("TTFT = prefill + hand-off + first decode step", () => {
    const sim = tinyCluster([{ isl: 128, osl: 2, hashIds: [1, 2] }], {
      mode: "disagg",
      prefillEngineArgs: { kv_transfer_bandwidth: 1, kv_bytes_per_token: 1e6 },
    });
    sim.run();
    const c = sim.collector;
    const ttft = prefillMs(128) + 128 + decodeMs(2);
    expect(c.firstAdmitMs[0]).toBe(0);
    expect(c.firstTokenMs[0]).toBeCloseTo(ttft, 9);
    // Second token: one more decode step; the sequence is 129 long with a fresh partial block (3 active).
    expect(c.lastTokenMs[0]).toBeCloseTo(ttft + decodeMs(3), 9);
    expect(c.tokenCount[0]).toBe(2);
  });

  it("without a configured transfer the decode stage starts at the end of prefill", () => {
    const sim = tinyCluster([{ isl: 128, osl: 1, hashIds: [1, 2] }], { mode: "disagg" });
    sim.run();
    expect(sim.collector.firstTokenMs[0]).toBeCloseTo(prefillMs(128) + decodeMs(2), 9);
  });
});
