import { describe, expect, it } from "vitest";
import { erlangC, serversForWait, waitQuantileS } from "../../src/planner/kvsim/queueing.js";

describe("kvsim queueing formulas (Erlang C with an Allen–Cunneen stretch)", () => {
  it("Erlang C matches the closed forms for one and two servers", () => {
    // c = 1: C = ρ. c = 2, a = 1: C = (a²/2 · 2/(2−a)) / (1 + a + a²/2 · 2/(2−a)) = 1 / (1 + 1 + 1) = 1/3.
    expect(erlangC(1, 0.6)).toBeCloseTo(0.6, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // c = 3, a = 2: terms 1, 2, 2 and a³/3! · c/(c−a) = 8/6 · 3 = 4 → C = 4 / 9.
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
    expect(erlangC(4, 0)).toBe(0);
    expect(erlangC(2, 2)).toBe(1);
  });

  it("the wait quantile follows P(W > x) = C·e^{−(cμ−λ)x}, stretched by the variability factor", () => {
    // c = 1, λ = 0.6, μ = 1: C = 0.6; p95: x = ln(0.6 / 0.05) / 0.4 = ln 12 / 0.4.
    expect(waitQuantileS(1, 0.6, 1, 0.95, 1)).toBeCloseTo(Math.log(12) / 0.4, 10);
    expect(waitQuantileS(1, 0.6, 1, 0.95, 3)).toBeCloseTo((3 * Math.log(12)) / 0.4, 10);
    // c = 2, a = 1 (λ = 1, μ = 1): C = 1/3 → x = ln((1/3)/0.05) / (2 − 1).
    expect(waitQuantileS(2, 1, 1, 0.95, 1)).toBeCloseTo(Math.log(20 / 3), 10);
    // At most 5 % wait at all: the 95th percentile wait is 0. Overloaded: infinite.
    expect(waitQuantileS(10, 1, 1, 0.95, 1)).toBe(0);
    expect(waitQuantileS(1, 2, 1, 0.95, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it("picks the fewest servers meeting the wait budget, or null past the ceiling", () => {
    // λ = 1.5, μ = 1, p95, budget 1 s: c = 2 → C = a²/2·c/(c−a) / (1 + a + that) with a = 1.5:
    // 1.125·4 = 4.5 → C = 4.5 / 7 = 0.642857…; x = ln(12.857) / 0.5 ≈ 5.11 s > 1. c = 3: C = 0.2368…, x =
    // ln(4.737) / 1.5 ≈ 1.037 s > 1. c = 4: C = 0.3375 / 4.525 ≈ 0.0746, x = ln(1.49) / 2.5 ≈ 0.16 s ≤ 1 → 4.
    expect(serversForWait(1.5, 1, 0.95, 1, 1, 1, 10)).toBe(4);
    expect(serversForWait(1.5, 1, 0.95, 1, 1, 5, 10)).toBe(5); // the floor wins
    expect(serversForWait(1.5, 1, 0.95, 1, 1, 1, 3)).toBeNull();
  });
});
