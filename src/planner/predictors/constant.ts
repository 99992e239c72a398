// `constant` predictor (docs/planner.md#predictors): the next value is the last one seen (0 before any data).
import { BasePredictor, type PredictorOptions } from "./base.js";

export class ConstantPredictor extends BasePredictor {
  // Options are accepted for a uniform factory signature; the constant predictor has no parameters.
  constructor(_options?: PredictorOptions) {
    super();
  }

  protected accept(_value: number): void {}

  predictNext(): number {
    return this.getLastValue();
  }
}
