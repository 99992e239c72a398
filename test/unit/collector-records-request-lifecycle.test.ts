import { describe, expect, it } from "vitest";
import { RequestCollector } from "../../src/sim/collector.js";

describe("RequestCollector per-request lifecycle", () => {
  it("sets first admission once and keeps the largest reused-token count over admissions", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 2);
    c.onAdmit(0, 3, 128);
    c.onPreempt(0);
    c.onAdmit(0, 9, 512); // re-admission after preemption hits more cache
    c.onPreempt(0);
    c.onAdmit(0, 15, 256);
    expect(c.firstAdmitMs[0]).toBe(3);
    expect(c.reusedTokens[0]).toBe(512);
    expect(c.preemptions[0]).toBe(2);
  });

  it("keeps first, second and last token times and the token count, not every token", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    c.onAdmit(0, 0, 0);
    for (const t of [4, 7, 9, 14]) c.onToken(0, t);
    expect([c.firstTokenMs[0], c.secondTokenMs[0], c.lastTokenMs[0], c.tokenCount[0]]).toEqual([4, 7, 14, 4]);
  });

  it("records the last worker assignment (disagg: prefill then decode)", () => {
    const c = new RequestCollector(1);
    expect(c.workerId[0]).toBe(-1);
    c.onWorker(0, 3);
    c.onWorker(0, 7);
    expect(c.workerId[0]).toBe(7);
  });

  it("is completed only once admitted and with at least one token", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 1);
    expect([c.hasArrived(0), c.isCompleted(0)]).toEqual([true, false]);
    c.onAdmit(0, 2, 0);
    expect(c.isCompleted(0)).toBe(false);
    c.onToken(0, 5);
    expect(c.isCompleted(0)).toBe(true);
  });

  it("gives the traffic accumulator (TTFT, mean TPOT or 0), null before completion", () => {
    const c = new RequestCollector(2);
    c.onArrival(0, 10);
    expect(c.requestLatencies(0)).toBeNull();
    c.onAdmit(0, 10, 0);
    c.onToken(0, 25); // TTFT = 25 − 10 = 15; one token → mean TPOT 0
    expect(c.requestLatencies(0)).toEqual({ ttftMs: 15, meanItlMs: 0 });
    c.onToken(0, 31);
    c.onToken(0, 33); // (33 − 25) / 2 = 4
    expect(c.requestLatencies(0)).toEqual({ ttftMs: 15, meanItlMs: 4 });
  });

  it("refuses events that break its invariants (bugs upstream, not user errors)", () => {
    const c = new RequestCollector(2);
    expect(() => c.onAdmit(0, 1, 0)).toThrow(/admitted before it arrived/);
    c.onArrival(0, 0);
    expect(() => c.onToken(0, 1)).toThrow(/before any admission/);
    c.onAdmit(0, 1, 0);
    c.onToken(0, 5);
    expect(() => c.onToken(0, 4)).toThrow(/precedes/);
    expect(() => c.onArrival(2, 0)).toThrow(RangeError);
    expect(() => c.onArrival(-1, 0)).toThrow(RangeError);
    expect(() => new RequestCollector(-1)).toThrow(RangeError);
  });
});
