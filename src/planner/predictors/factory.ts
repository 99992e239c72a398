// Predictor registry (docs/planner.md#predictors, `LOAD_PREDICTORS`). Upstream's "prophet" has no TypeScript
// port; the config layer maps it to "holt".
import { ArimaPredictor } from "./arima.js";
import type { LoadPredictor, PredictorOptions } from "./base.js";
import { ConstantPredictor } from "./constant.js";
import { HoltPredictor } from "./holt.js";
import { KalmanPredictor } from "./kalman.js";

export type PredictorName = "constant" | "arima" | "kalman" | "holt";

export const PREDICTOR_NAMES: readonly PredictorName[] = ["constant", "arima", "kalman", "holt"];

/** The predictor called `name`; options left out take DEFAULT_PREDICTOR_OPTIONS. An unknown name throws. */
export function createPredictor(name: PredictorName, options: Partial<PredictorOptions> = {}): LoadPredictor {
  switch (name) {
    case "constant":
      return new ConstantPredictor(options);
    case "arima":
      return new ArimaPredictor(options);
    case "kalman":
      return new KalmanPredictor(options);
    case "holt":
      return new HoltPredictor(options);
    default:
      throw new RangeError(
        `createPredictor: unknown predictor ${JSON.stringify(name)} (one of ${PREDICTOR_NAMES.join(", ")})`,
      );
  }
}
