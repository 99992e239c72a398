import { describe, expect, it } from "vitest";
import { expectedBacklogMisses, SlaErrorBudget } from "../../src/planner/kvsim/error-budget.js";

/** 20 TTFT buckets (bounds 25 … 1000, 1500, 2000, 3000 … ms, +Inf): `within` at ≤ 2000 ms, `over` at 3000 ms. */
function window(within: number, over: number): number[] {
  const c = new Array(20).fill(0);
  c[8] = within; // (1500, 2000]
  c[9] = over; // (2000, 3000]
  return c;
}

describe("kvsim SLA error budget", () => {
  it("counts the slack against 80 % of the allowed misses, and eases or presses accordingly", () => {
    // Target 0.95 → planned 1 − 0.05·0.8 = 0.96. 97 of 100 met: slack 97 − 96 = 1; ease = 1 / (2·max(10, 4)).
    const b = new SlaErrorBudget(0.95, 2000);
    expect([b.slackRequests, b.attainment, b.pressure, b.ease]).toEqual([0, 1, 0, 0]);
    b.observe(window(97, 3));
    expect(b.slackRequests).toBeCloseTo(1, 12);
    expect(b.attainment).toBe(0.97);
    expect(b.ease).toBeCloseTo(0.05, 12);
    expect(b.pressure).toBe(0);
    // One backlog may spend half of the slack.
    expect(b.canAbsorb(0.5)).toBe(true);
    expect(b.canAbsorb(0.6)).toBe(false);
    // 80 of the next 100 met: 177 of 200, slack 177 − 192 = −15 → pressure min(1, 15 / max(10, 8)) = 1.
    b.observe(window(80, 20));
    expect(b.slackRequests).toBeCloseTo(-15, 12);
    expect(b.pressure).toBe(1);
    expect(b.ease).toBe(0);
    expect(b.canAbsorb(0)).toBe(false);
  });

  it("reads an SLA inside a bucket by interpolation (1750 ms: half of (1500, 2000])", () => {
    const b = new SlaErrorBudget(0.95, 1750);
    b.observe(window(10, 0));
    expect(b.attainment).toBe(0.5);
  });
});

describe("misses a backlog causes if the pool stays as it is", () => {
  it("counts the waiting requests behind more than the wait budget and the arrivals until it drains", () => {
    // 100 tokens/s capacity, 50 of demand, 2 req/s; 1000 tokens (10 requests) wait; 5 s budget = 500 tokens.
    // Waiting: 10·(1 − 500/1000) = 5; drain of the excess (1000 − 500)/(100 − 50) = 10 s → 20 arrivals: 25.
    const base = {
      capacityTokensPerS: 100,
      demandTokensPerS: 50,
      arrivalRatePerS: 2,
      backlogTokens: 1000,
      backlogRequests: 10,
      waitBudgetS: 5,
    };
    expect(expectedBacklogMisses(base)).toBe(25);
    expect(expectedBacklogMisses({ ...base, backlogTokens: 500 })).toBe(0);
    expect(expectedBacklogMisses({ ...base, demandTokensPerS: 100 })).toBe(Number.POSITIVE_INFINITY);
  });
});
