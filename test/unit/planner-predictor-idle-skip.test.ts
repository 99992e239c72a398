import { describe, expect, it } from "vitest";
import { ConstantPredictor } from "../../src/planner/predictors/constant.js";

describe("predictor base: NaN mapping and idle skip", () => {
  it("drops leading zeros and NaNs (NaN counts as 0) until the first non-zero value", () => {
    const p = new ConstantPredictor();
    p.addDataPoint(0);
    p.addDataPoint(Number.NaN);
    expect(p.size).toBe(0);
    expect(p.predictNext()).toBe(0);
    p.addDataPoint(3);
    expect(p.size).toBe(1);
    expect(p.predictNext()).toBe(3);
  });

  it("keeps zeros (and NaN as 0) after the first non-zero value", () => {
    const p = new ConstantPredictor();
    p.addDataPoint(3);
    p.addDataPoint(0);
    expect(p.size).toBe(2);
    expect(p.getLastValue()).toBe(0);
    p.addDataPoint(5);
    p.addDataPoint(Number.NaN);
    expect(p.size).toBe(4);
    expect(p.getLastValue()).toBe(0);
  });

  it("re-arms the skip on resetIdleSkip without forgetting buffered data", () => {
    const p = new ConstantPredictor();
    p.addDataPoint(4);
    p.resetIdleSkip();
    p.addDataPoint(0);
    expect(p.size).toBe(1);
    expect(p.getLastValue()).toBe(4);
    p.addDataPoint(7);
    p.addDataPoint(0);
    expect(p.size).toBe(3);
    expect(p.getLastValue()).toBe(0);
  });

  it("treats negative values as non-zero", () => {
    const p = new ConstantPredictor();
    p.addDataPoint(-2);
    expect(p.size).toBe(1);
    expect(p.predictNext()).toBe(-2);
  });
});
