import { describe, expect, it } from "vitest";
import { parseRateProfile, TimeRescaler } from "../../src/trace/synth/rate-profile.js";
import { InputError } from "../../src/util/errors.js";

describe("rate profiles map expected-arrival counts to seconds (Λ⁻¹)", () => {
  it("inverts a rising ramp and the held last rate exactly", () => {
    // λ(t) = 2 + t/60 on [0, 600], then 12: Λ(t) = 2t + t²/120. Λ(60) = 150, Λ(600) = 4200, Λ(610) = 4320.
    const r = new TimeRescaler(parseRateProfile("p", "0:2,600:12"));
    expect(r.timeAtS(0)).toBe(0);
    expect(r.timeAtS(150)).toBeCloseTo(60, 9);
    expect(r.timeAtS(4200)).toBeCloseTo(600, 9);
    expect(r.timeAtS(4320)).toBeCloseTo(610, 9);
  });

  it("inverts a falling ramp", () => {
    // λ(t) = 12 − t/60 on [0, 600]: Λ(t) = 12t − t²/120; Λ(300) = 3600 − 750 = 2850.
    const r = new TimeRescaler(parseRateProfile("p", "0:12,600:2"));
    expect(r.timeAtS(2850)).toBeCloseTo(300, 9);
  });

  it("skips zero-rate stretches and starts a ramp from zero", () => {
    // Zero until 10 s, then λ = 0.4·(t − 10) up to 20 s: Λ(10 + x) = 0.2x², so Λ = 5 at x = 5.
    const r = new TimeRescaler(parseRateProfile("p", "0:0,10:0,20:4"));
    expect(r.timeAtS(5)).toBeCloseTo(15, 9);
  });

  it("runs out when the profile ends at zero", () => {
    // λ = 2 → 0 over 10 s: total mass 10 expected arrivals.
    const r = new TimeRescaler(parseRateProfile("p", "0:2,10:0"));
    expect(r.timeAtS(10)).toBeCloseTo(10, 9);
    expect(r.timeAtS(10.5)).toBe(Number.POSITIVE_INFINITY);
  });

  it("rejects malformed profiles with one-line errors", () => {
    const bad = ["", "5:2", "0:2,0:3", "0:2,10:-1", "0:0,10:0", "0:x", "0-2"];
    for (const text of bad) {
      expect(() => parseRateProfile("--rate-profile", text)).toThrow(InputError);
      try {
        parseRateProfile("--rate-profile", text);
      } catch (e) {
        expect((e as Error).message).not.toContain("\n");
        expect((e as Error).message.startsWith("--rate-profile: ")).toBe(true);
      }
    }
  });
});
