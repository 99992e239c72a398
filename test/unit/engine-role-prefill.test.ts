import { describe, expect, it } from "vitest";
import { enginesFor, passAt, type RecordingPassTime } from "../support/engine-kit.js";

// A prefill worker (docs/design.md#disagg-handoff) produces only the first token (max output treated as 1),
// has no decode time, and reports the KV hand-off delay on the completing token when bandwidth and
// bytes/token are both set: handoff_ms = isl · bytes / (GB/s · 1e9) · 1000.
describe.each(["fast", "reference"] as const)("prefill role (%s engine)", (name) => {
  it("ends its pass at the prefill time and prices the hand-off: 8 tokens × 1e6 B at 1 GB/s = 8 ms", () => {
    const e = enginesFor({
      role: "prefill",
      args: { worker_type: "prefill", kv_transfer_bandwidth: 1, kv_bytes_per_token: 1e6 },
      requests: [
        { isl: 8, osl: 50, hashIds: [1] },
        { isl: 20, osl: 50, hashIds: [2, 3] },
      ],
    }).find((x) => x.name === name)!;
    const p = passAt(e, 0, [0, 1]);
    // Prefill: B = 2, ⌊28/2⌋ = 14 → 2·14 = 28 ms; no decode time.
    expect(p.endMs).toBe(28);
    expect(p.tokens).toEqual([
      { requestId: 0, completed: true, handoffMs: 8 },
      { requestId: 1, completed: true, handoffMs: 20 }, // 20 × 1e6 / 1e9 s = 20 ms
    ]);
    expect((e.passTime as RecordingPassTime).decodeCalls).toEqual([]);
    expect(e.engine.hasWork()).toBe(false);
  });

  it("reports no hand-off delay when the bandwidth is unset", () => {
    const e = enginesFor({
      role: "prefill",
      args: { worker_type: "prefill", kv_bytes_per_token: 1e6 },
      requests: [{ isl: 8, osl: 50, hashIds: [1] }],
    }).find((x) => x.name === name)!;
    expect(passAt(e, 0, [0]).tokens).toEqual([{ requestId: 0, completed: true, handoffMs: 0 }]);
  });
});
