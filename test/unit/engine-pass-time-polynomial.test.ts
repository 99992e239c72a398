import { describe, expect, it } from "vitest";
import { PolynomialPassTimeModel } from "../../src/sim/engine/pass-time-polynomial.js";

// The polynomial pass-time model (docs/design.md#perf-model), ms.
//   prefill: T = B·(mean_isl − mean_prefix); 4.209989e-7·T² + 1.518344e-2·T + 16.50142
//   decode:  p = active/total (1 if total = 0); −25.74·p² + 54.01·p + 5.74
describe("polynomial pass-time model", () => {
  const m = new PolynomialPassTimeModel();

  it("prices prefill on the new tokens of the batch", () => {
    // T = 1000: 0.4209989 + 15.18344 + 16.50142 = 32.1058589
    expect(m.prefillMs(1, 1000, 0)).toBeCloseTo(32.1058589, 10);
    // B = 2, isl 600, prefix 100 → T = 2·500 = 1000: same
    expect(m.prefillMs(2, 600, 100)).toBeCloseTo(32.1058589, 10);
    // T = 1: 4.209989e-7 + 0.01518344 + 16.50142 = 16.5166038609989
    expect(m.prefillMs(1, 1, 0)).toBeCloseTo(16.5166038609989, 12);
    expect(m.prefillMs(1, 50, 50)).toBe(0);
    expect(m.prefillMs(0, 50, 0)).toBe(0);
  });

  it("prices decode on the KV fill fraction only (not the batch size)", () => {
    // p = 0.5: −6.435 + 27.005 + 5.74 = 26.31
    expect(m.decodeMs(1, 500, 100, 1000)).toBeCloseTo(26.31, 12);
    expect(m.decodeMs(64, 500, 9000, 1000)).toBe(m.decodeMs(1, 500, 100, 1000));
    expect(m.decodeMs(1, 0, 0, 1000)).toBeCloseTo(5.74, 12);
    // total 0 → p = 1: −25.74 + 54.01 + 5.74 = 34.01
    expect(m.decodeMs(1, 0, 0, 0)).toBeCloseTo(34.01, 12);
  });

  it("evaluates a·(t·t) + b·t + c exactly in that order (docs/design.md#perf-model)", () => {
    const t = 12345;
    expect(m.prefillMs(1, t, 0)).toBe(4.209989e-7 * (t * t) + 1.518344e-2 * t + 16.50142);
    const p = 3 / 7;
    expect(m.decodeMs(1, 3, 0, 7)).toBe(-25.74 * (p * p) + 54.01 * p + 5.74);
  });
});
