// `kalman` predictor (docs/planner.md#predictors): local-linear-trend Kalman filter, state [level, trend].
//   F = [[1,1],[0,1]], H = [1,0], P0 = 1000·I, R = max(1e-9, r), Q = diag(max(1e-12, qLevel), max(1e-12, qTrend)).
// The first accepted point initialises x = [z, 0] without predict/update. `predictNext` runs a predict step
// once and caches the level, so repeated calls without data return the same value and the next update
// reuses that predict step instead of advancing the filter twice. Covariance update in Joseph form
// (numerically symmetric and positive). Raw mode is not clamped and can forecast negative values (as upstream).
import { BasePredictor, type PredictorOptions, resolvePredictorOptions } from "./base.js";

const INITIAL_VARIANCE = 1000;

export class KalmanPredictor extends BasePredictor {
  private readonly log1pMode: boolean;
  private readonly r: number;
  private readonly qLevel: number;
  private readonly qTrend: number;
  readonly minPoints: number;
  private initialised = false;
  private level = 0;
  private trend = 0;
  // P = [[p00, p01], [p01, p11]] (symmetric)
  private p00 = INITIAL_VARIANCE;
  private p01 = 0;
  private p11 = INITIAL_VARIANCE;
  /** Level after a predict step not yet consumed by an update; null when none. */
  private cachedLevel: number | null = null;

  /** Fields left out take DEFAULT_PREDICTOR_OPTIONS (q_level 1, q_trend 0.1, r 10); a bad one throws. */
  constructor(partial: Partial<PredictorOptions> = {}) {
    super();
    const options = resolvePredictorOptions(partial, "KalmanPredictor");
    this.log1pMode = options.log1p;
    this.r = Math.max(1e-9, options.kalmanR);
    this.qLevel = Math.max(1e-12, options.kalmanQLevel);
    this.qTrend = Math.max(1e-12, options.kalmanQTrend);
    this.minPoints = options.kalmanMinPoints;
  }

  /** Filter state [level, trend] in model space (log1p space in log mode). */
  get state(): { level: number; trend: number; covariance: [number, number, number] } {
    return { level: this.level, trend: this.trend, covariance: [this.p00, this.p01, this.p11] };
  }

  protected accept(value: number): void {
    const z = this.log1pMode ? Math.log1p(Math.max(0, value)) : value;
    if (!this.initialised) {
      this.level = z;
      this.trend = 0;
      this.p00 = INITIAL_VARIANCE;
      this.p01 = 0;
      this.p11 = INITIAL_VARIANCE;
      this.initialised = true;
      return;
    }
    if (this.cachedLevel === null) this.predictStep();
    this.updateStep(z);
    this.cachedLevel = null;
  }

  predictNext(): number {
    if (!this.initialised) return this.getLastValue();
    if (this.cachedLevel === null) {
      this.predictStep();
      this.cachedLevel = this.level;
    }
    return this.log1pMode ? Math.max(0, Math.expm1(this.cachedLevel)) : this.cachedLevel;
  }

  /** x = F x; P = F P Fᵀ + Q. */
  private predictStep(): void {
    this.level += this.trend;
    const { p00, p01, p11 } = this;
    // F P Fᵀ with F = [[1,1],[0,1]]: [[p00 + 2p01 + p11, p01 + p11], [p01 + p11, p11]]
    this.p00 = p00 + 2 * p01 + p11 + this.qLevel;
    this.p01 = p01 + p11;
    this.p11 = p11 + this.qTrend;
  }

  /** K = P Hᵀ / (H P Hᵀ + R); x += K (z − H x); P = (I − K H) P (I − K H)ᵀ + K R Kᵀ. */
  private updateStep(z: number): void {
    const { p00, p01, p11, r } = this;
    const s = p00 + r;
    const k0 = p00 / s;
    const k1 = p01 / s;
    const innovation = z - this.level;
    this.level += k0 * innovation;
    this.trend += k1 * innovation;
    // A = I − K H = [[1 − k0, 0], [−k1, 1]]; A P Aᵀ expanded, then + K R Kᵀ.
    const a00 = 1 - k0;
    const ap00 = a00 * p00;
    const ap01 = a00 * p01;
    const ap10 = -k1 * p00 + p01;
    const ap11 = -k1 * p01 + p11;
    this.p00 = ap00 * a00 + k0 * r * k0;
    this.p01 = ap01 * 1 + ap00 * -k1 + k0 * r * k1;
    this.p11 = ap10 * -k1 + ap11 + k1 * r * k1;
  }
}
