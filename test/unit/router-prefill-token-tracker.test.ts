import { describe, expect, it } from "vitest";
import { PrefillTokenTracker } from "../../src/sim/router/active-sequences.js";

describe("prefill-token tracker: FIFO per worker, anchor-only decay only with an expected duration (docs/design.md#prefill-token-tracking)", () => {
  it("without estimates it is the plain sum of outstanding loads (no decay)", () => {
    const t = new PrefillTokenTracker(4);
    t.add(0, 0, 64, Number.NaN, 0);
    t.add(1, 0, 36, Number.NaN, 0);
    expect(t.activeTokens(0, 0)).toBe(100);
    expect(t.activeTokens(0, 1e9)).toBe(100);
    t.remove(0, 5);
    expect(t.activeTokens(0, 5)).toBe(36);
    expect(t.activeTokens(1, 5)).toBe(0); // another worker
  });

  it("decays the anchor linearly: 64 tokens expected 10 s → 64 at 0 s, 32 at 5 s, 0 at 10 s", () => {
    const t = new PrefillTokenTracker(2);
    t.add(0, 0, 64, 10_000, 0);
    expect(t.activeTokens(0, 0)).toBe(64);
    expect(t.activeTokens(0, 5_000)).toBe(32);
    expect(t.activeTokens(0, 10_000)).toBe(0);
    expect(t.activeTokens(0, 20_000)).toBe(0);
    // ceil: at 2.5 s, 64 · 0.75 = 48; at 1 s, 64 · 0.9 = 57.6 → 58.
    expect(t.activeTokens(0, 1_000)).toBe(58);
  });

  it("only the anchor decays; the next load becomes the anchor when the anchor completes", () => {
    const t = new PrefillTokenTracker(3);
    t.add(0, 0, 100, 10_000, 0);
    t.add(1, 0, 40, 4_000, 1_000);
    // At 5 s: anchor 100 → ceil(100 · 0.5) = 50; the second load counts in full: 90.
    expect(t.activeTokens(0, 5_000)).toBe(90);
    t.remove(0, 6_000); // request 1 becomes the anchor at 6 s
    expect(t.activeTokens(0, 6_000)).toBe(40);
    expect(t.activeTokens(0, 8_000)).toBe(20); // 2 s of 4 s elapsed
    // Removing a non-anchor load does not restart the anchor's clock.
    t.add(2, 0, 10, Number.NaN, 8_000);
    t.remove(2, 9_000);
    expect(t.activeTokens(0, 9_000)).toBe(10); // 3 of 4 s → ceil(40 · 0.25)
  });

  it("an expected duration of zero makes the anchor contribute nothing", () => {
    const t = new PrefillTokenTracker(2);
    t.add(0, 0, 50, 0, 0);
    t.add(1, 0, 7, Number.NaN, 0);
    expect(t.activeTokens(0, 0)).toBe(7);
  });
});
