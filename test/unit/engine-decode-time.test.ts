import { describe, expect, it } from "vitest";
import { PolynomialPassTimeModel } from "../../src/sim/engine/pass-time-polynomial.js";
import { enginesFor, passAt, RecordingPassTime } from "../support/engine-kit.js";

// Decode time (docs/design.md#engine-pass, step 6): p = active blocks · bs / (num_gpu_blocks · bs), measured
// after this pass's prefill allocations and before the new decode blocks; ctx = ⌊Σ len / |ready|⌋.
// Block size 16, num_gpu_blocks 10 → total KV 160 tokens. R0: isl 32 (2 full blocks), osl 2.
//   Pass 1: prompt allocates 2 blocks → p = 32/160 = 0.2 (the first token's new block comes after).
//   Pass 2: 3 blocks (2 + the partial block the first token started) → p = 48/160 = 0.3.
const requests = [{ isl: 32, osl: 2, hashIds: [1, 2] }];

describe.each(["fast", "reference"] as const)("decode time (%s engine)", (name) => {
  it("measures active KV after prefill allocation and before the decode step's new block", () => {
    const e = enginesFor({ args: { num_gpu_blocks: 10 }, requests }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0]);
    passAt(e, p1.endMs);
    expect((e.passTime as RecordingPassTime).decodeCalls).toEqual([
      [1, 32, 32, 160],
      [1, 48, 33, 160],
    ]);
  });

  it("prices passes with the polynomial model", () => {
    const e = enginesFor({
      args: { num_gpu_blocks: 10 },
      requests,
      passTime: () => new PolynomialPassTimeModel(),
    }).find((x) => x.name === name)!;
    // prefill T = 32: 4.209989e-7·1024 + 1.518344e-2·32 + 16.50142 = 0.000431103 + 0.48587008 + 16.50142
    //   = 16.987721183
    // decode p = 0.2: −25.74·0.04 + 54.01·0.2 + 5.74 = −1.0296 + 10.802 + 5.74 = 15.5124
    // decode p = 0.3: −25.74·0.09 + 54.01·0.3 + 5.74 = −2.3166 + 16.203 + 5.74 = 19.6264
    const p1 = passAt(e, 0, [0]);
    expect(p1.endMs).toBeCloseTo(16.987721183 + 15.5124, 9);
    const p2 = passAt(e, p1.endMs);
    expect(p2.endMs - p1.endMs).toBeCloseTo(19.6264, 9);
  });

  it("is zero when no request is ready (mid-prefill chunk)", () => {
    const e = enginesFor({
      args: { num_gpu_blocks: 10, max_num_batched_tokens: 16 },
      requests,
      passTime: () => new RecordingPassTime(),
    }).find((x) => x.name === name)!;
    const p1 = passAt(e, 0, [0]);
    expect(p1.endMs).toBe(16); // prefill(1, 16, 0) = 16, no decode step
    expect((e.passTime as RecordingPassTime).decodeCalls).toEqual([]);
  });
});
