import { describe, expect, it } from "vitest";
import { ArimaPredictor } from "../../src/planner/predictors/arima.js";
import { DEFAULT_PREDICTOR_OPTIONS } from "../../src/planner/predictors/base.js";
import { ConstantPredictor } from "../../src/planner/predictors/constant.js";
import { createPredictor, PREDICTOR_NAMES } from "../../src/planner/predictors/factory.js";
import { HoltPredictor } from "../../src/planner/predictors/holt.js";
import { KalmanPredictor } from "../../src/planner/predictors/kalman.js";

describe("constant predictor", () => {
  it("forecasts the last value, 0 when empty", () => {
    const p = new ConstantPredictor(DEFAULT_PREDICTOR_OPTIONS);
    expect(p.predictNext()).toBe(0);
    for (const v of [5, 9, 2]) p.addDataPoint(v);
    expect(p.predictNext()).toBe(2);
    expect(p.getLastValue()).toBe(2);
  });
});

describe("createPredictor", () => {
  it("builds the class each name stands for", () => {
    expect(PREDICTOR_NAMES).toEqual(["constant", "arima", "kalman", "holt"]);
    expect(createPredictor("constant", DEFAULT_PREDICTOR_OPTIONS)).toBeInstanceOf(ConstantPredictor);
    expect(createPredictor("arima", DEFAULT_PREDICTOR_OPTIONS)).toBeInstanceOf(ArimaPredictor);
    expect(createPredictor("kalman", DEFAULT_PREDICTOR_OPTIONS)).toBeInstanceOf(KalmanPredictor);
    expect(createPredictor("holt", DEFAULT_PREDICTOR_OPTIONS)).toBeInstanceOf(HoltPredictor);
  });
});
