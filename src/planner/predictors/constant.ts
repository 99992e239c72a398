// `constant` predictor (docs/planner.md#predictors): the next value is the last one seen (0 before any data).
import { BasePredictor, type PredictorOptions, resolvePredictorOptions } from "./base.js";

export class ConstantPredictor extends BasePredictor {
  // Options are accepted (and checked) for a uniform factory signature; the constant predictor has no parameters.
  constructor(partial: Partial<PredictorOptions> = {}) {
    super();
    resolvePredictorOptions(partial, "ConstantPredictor");
  }

  protected accept(_value: number): void {}

  predictNext(): number {
    return this.getLastValue();
  }
}
