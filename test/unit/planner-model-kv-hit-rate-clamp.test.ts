import { describe, expect, it } from "vitest";
import {
  clampKvHitRate,
  discountPrefillTokens,
  MAX_KV_HIT_RATE_DISCOUNT,
} from "../../src/planner/kv-hit-rate.js";

describe("clampKvHitRate", () => {
  it("caps the discount at 0.95", () => {
    expect(MAX_KV_HIT_RATE_DISCOUNT).toBe(0.95);
    expect(clampKvHitRate(0.99)).toBe(0.95);
    expect(clampKvHitRate(1)).toBe(0.95);
    expect(clampKvHitRate(Number.POSITIVE_INFINITY)).toBe(0.95);
  });

  it("maps absent or NaN hit rates to no discount", () => {
    expect(clampKvHitRate(null)).toBe(0);
    expect(clampKvHitRate(undefined)).toBe(0);
    expect(clampKvHitRate(Number.NaN)).toBe(0);
  });

  it("floors negative rates at 0 and passes in-range rates through", () => {
    expect(clampKvHitRate(-0.3)).toBe(0);
    expect(clampKvHitRate(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(clampKvHitRate(0)).toBe(0);
    expect(clampKvHitRate(0.8)).toBe(0.8);
    expect(clampKvHitRate(0.95)).toBe(0.95);
  });

  it("discounts prefill tokens by (1 − clamp(hit))", () => {
    // docs/planner.md#worked-example: ISL 4000 at hit 0.8 → 4000 · 0.2 = 800 effective tokens.
    expect(discountPrefillTokens(4000, 0.8)).toBeCloseTo(800, 9);
    // hit 2 is clamped to 0.95 → 4000 · 0.05 = 200.
    expect(discountPrefillTokens(4000, 2)).toBeCloseTo(200, 9);
    expect(discountPrefillTokens(4000, null)).toBe(4000);
  });
});
