import { describe, expect, it } from "vitest";
import { enginesFor, passAt } from "../support/engine-kit.js";

// speedup_ratio divides prefill time; speedup_ratio·decode_speedup_ratio divides decode time; a ratio (or
// product) ≤ 0 means unscaled (docs/design.md#engine-pass). One request, isl 32, osl 1, block size 16:
// raw prefill(1, 32, 0) = 32 ms, raw decode = 5 ms.
const cases: [number, number, number][] = [
  // [speedup_ratio, decode_speedup_ratio, pass end]
  [1, 1, 32 + 5],
  [2, 3, 32 / 2 + 5 / 6],
  [0, 1, 32 + 5], // 0: unscaled prefill; product 0: unscaled decode
  [2, 0, 32 / 2 + 5], // product 0 → decode unscaled
  [-1, -1, 32 + 5], // prefill unscaled; product 1
  [-2, -3, 32 + 5 / 6], // prefill unscaled; product 6 > 0 → decode / 6
];

describe.each(["fast", "reference"] as const)("speedup ratios (%s engine)", (name) => {
  it.each(cases)("speedup %d, decode speedup %d → pass ends at %d ms", (speedup, decodeSpeedup, endMs) => {
    const e = enginesFor({
      args: { speedup_ratio: speedup, decode_speedup_ratio: decodeSpeedup },
      requests: [{ isl: 32, osl: 1, hashIds: [1, 2] }],
    }).find((x) => x.name === name)!;
    expect(passAt(e, 0, [0]).endMs).toBe(endMs);
  });
});
