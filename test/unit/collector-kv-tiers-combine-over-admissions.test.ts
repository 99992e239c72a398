import { describe, expect, it } from "vitest";
import { RequestCollector } from "../../src/sim/collector.js";

/**
 * docs/design.md#request-accounting: reused tokens keep the largest hit over a request's admissions, and the host
 * (G2) / disk (G3) parts are that admission's own (the first of equal hits), so G1 + G2 + G3 = reused tokens;
 * onboarded tokens and onboarding time add up over every admission.
 */
describe("the collector's KV-tier columns over re-admissions", () => {
  it("takes the split from the admission that set reused tokens and adds up the onboarding", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    c.onAdmit(0, 10, 512, 256, 128, 40); // G1 128, G2 256, G3 128; onboarded 384 in 40 ms
    c.onPreempt(0);
    c.onAdmit(0, 90, 1024, 0, 0, 0); // a larger hit, all on the GPU: the split follows it
    c.onPreempt(0);
    c.onAdmit(0, 200, 768, 768, 0, 30); // a smaller hit: only its onboarding counts
    expect(c.reusedTokens[0]).toBe(1024);
    expect([c.hostTokens[0], c.diskTokens[0]]).toEqual([0, 0]);
    expect(c.onboardedTokens[0]).toBe(384 + 768);
    expect(c.onboardMs[0]).toBe(70);
  });

  it("keeps the first of equal hits", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    c.onAdmit(0, 1, 256, 0, 256, 10);
    c.onPreempt(0);
    c.onAdmit(0, 20, 256, 256, 0, 5);
    expect([c.reusedTokens[0], c.hostTokens[0], c.diskTokens[0]]).toEqual([256, 0, 256]);
    expect([c.onboardedTokens[0], c.onboardMs[0]]).toEqual([512, 15]);
  });

  it("an admission without tier arguments is a GPU hit (the engine with tiers off)", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    c.onAdmit(0, 1, 640);
    expect([c.reusedTokens[0], c.hostTokens[0], c.diskTokens[0]]).toEqual([640, 0, 0]);
    expect([c.onboardedTokens[0], c.onboardMs[0]]).toEqual([0, 0]);
  });

  it("refuses an admission that onboarded more than it reused", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    expect(() => c.onAdmit(0, 1, 128, 128, 64, 3)).toThrow(/onboarded 192 of 128 reused tokens/);
  });

  it("exportState / fromState and mergeFrom carry the four columns", () => {
    const cell = new RequestCollector(2);
    cell.onArrival(1, 0);
    cell.onAdmit(1, 2, 512, 192, 64, 12.5);
    const shipped = RequestCollector.fromState(cell.exportState());
    expect([shipped.hostTokens[1], shipped.diskTokens[1]]).toEqual([192, 64]);
    expect([shipped.onboardedTokens[1], shipped.onboardMs[1]]).toEqual([256, 12.5]);
    const merged = new RequestCollector(5);
    merged.mergeFrom(shipped, [4, 2]);
    expect([merged.reusedTokens[2], merged.hostTokens[2], merged.diskTokens[2]]).toEqual([512, 192, 64]);
    expect([merged.onboardedTokens[2], merged.onboardMs[2]]).toEqual([256, 12.5]);
    expect(Array.from(merged.onboardMs)).toEqual([0, 0, 12.5, 0, 0]);
  });
});
