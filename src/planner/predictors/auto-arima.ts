// A small auto-ARIMA (substitute for pmdarima's `auto_arima`, which has no TypeScript port).
//
// 1. Differencing order d ≤ 2 by repeated KPSS level-stationarity tests at the 5 % level, as pmdarima's
//    default `ndiffs(test="kpss")`: stop when the series tests stationary, becomes constant, or too short.
// 2. Every (p, q) with p, q ≤ 2 (fewer on short series), with and without a constant when d ≤ 1 (the
//    constant is the mean for d = 0 and the drift for d = 1, so a clean ramp continues its trend), fitted by
//    conditional sum of squares on a shared conditioning window (arima-fit.ts).
// 3. The candidate with the lowest AICc wins; ties go to the first enumerated (simplest) model.
import { type ArimaFit, difference, fitDifferencedArma } from "./arima-fit.js";

export interface AutoArimaOptions {
  readonly maxP?: number;
  readonly maxQ?: number;
  readonly maxD?: number;
}

/** KPSS 5 % critical value for level stationarity (Kwiatkowski et al. 1992, table 1). */
export const KPSS_LEVEL_CRITICAL_5PCT = 0.463;
/** Shortest series a KPSS test or a further difference is attempted on. */
const MIN_TEST_LENGTH = 3;

/** Exactly or numerically constant (relative spread ≤ 1e-12). */
export function isConstantSeries(x: readonly number[]): boolean {
  if (x.length === 0) return true;
  const first = x[0]!;
  const tolerance = 1e-12 * Math.max(1, Math.abs(first));
  for (const v of x) if (Math.abs(v - first) > tolerance) return false;
  return true;
}

/**
 * KPSS level-stationarity statistic: η = Σ S_t² / (n² · σ̂²), S the partial sums of x − x̄ and σ̂² the
 * Newey–West long-run variance with Bartlett weights and the short lag rule l = trunc(3·√n / 13).
 */
export function kpssLevelStatistic(x: readonly number[]): number {
  const n = x.length;
  let mean = 0;
  for (const v of x) mean += v;
  mean /= n;
  const e = x.map((v) => v - mean);
  let partial = 0;
  let sumSquaredPartials = 0;
  let gamma0 = 0;
  for (let t = 0; t < n; t++) {
    partial += e[t]!;
    sumSquaredPartials += partial * partial;
    gamma0 += e[t]! * e[t]!;
  }
  let longRunVariance = gamma0 / n;
  const lags = Math.trunc((3 * Math.sqrt(n)) / 13);
  for (let i = 1; i <= lags; i++) {
    let gamma = 0;
    for (let t = i; t < n; t++) gamma += e[t]! * e[t - i]!;
    longRunVariance += (2 / n) * (1 - i / (lags + 1)) * gamma;
  }
  return sumSquaredPartials / (n * n) / longRunVariance;
}

/** Differencing order by repeated KPSS tests (pmdarima's `ndiffs` control flow). */
export function selectDifferencingOrder(x: readonly number[], maxD = 2): number {
  if (isConstantSeries(x)) return 0;
  let d = 0;
  let cur = x.slice();
  while (d < maxD && cur.length - 1 >= MIN_TEST_LENGTH) {
    const stat = kpssLevelStatistic(cur);
    if (!(stat > KPSS_LEVEL_CRITICAL_5PCT)) break;
    cur = difference(cur, 1);
    d++;
    if (isConstantSeries(cur)) break;
  }
  return d;
}

/** Order limit for p and q so that short series keep enough residuals for AICc. */
function orderLimit(differencedLength: number): number {
  if (differencedLength >= 10) return 2;
  if (differencedLength >= 6) return 1;
  return 0;
}

/** Chooses d, then (p, q, constant) by AICc, and returns the winning fit with its one-step forecast. */
export function autoArima(x: readonly number[], options: AutoArimaOptions = {}): ArimaFit {
  if (x.length < 2) throw new RangeError("auto-ARIMA needs at least 2 points");
  if (!x.every(Number.isFinite)) throw new RangeError("auto-ARIMA needs finite values");
  const d = selectDifferencingOrder(x, options.maxD ?? 2);
  const w = difference(x, d);
  const limit = orderLimit(w.length);
  const maxP = Math.min(options.maxP ?? 2, limit);
  const maxQ = Math.min(options.maxQ ?? 2, limit);
  const conditioningStart = maxP;
  const constantChoices = d <= 1 ? [true, false] : [false];

  let best: ArimaFit | null = null;
  for (let p = 0; p <= maxP; p++) {
    for (let q = 0; q <= maxQ; q++) {
      for (const includeConstant of constantChoices) {
        const fit = fitDifferencedArma(x, w, { p, d, q, includeConstant }, conditioningStart);
        if (fit !== null && (best === null || fit.aicc < best.aicc)) best = fit;
      }
    }
  }
  if (best !== null) return best;
  return naiveFit(x, w, d);
}

/**
 * (0, d, 0) when no candidate has enough residuals: mean (d = 0) or drift (d = 1) of the differenced series,
 * no constant for d = 2. AICc is undefined and reported as +Infinity.
 */
function naiveFit(x: readonly number[], w: readonly number[], d: number): ArimaFit {
  let mean = 0;
  for (const v of w) mean += v;
  mean = w.length > 0 ? mean / w.length : 0;
  const constant = d <= 1 ? mean : 0;
  const n = x.length;
  const forecast =
    d === 0 ? constant : d === 1 ? x[n - 1]! + constant : 2 * x[n - 1]! - (x[n - 2] ?? x[n - 1]!) + constant;
  let sse = 0;
  for (const v of w) sse += (v - constant) ** 2;
  return {
    p: 0,
    d,
    q: 0,
    includeConstant: d <= 1,
    constant,
    ar: [],
    ma: [],
    sigma2: w.length > 0 ? sse / w.length : 0,
    aicc: Number.POSITIVE_INFINITY,
    conditioningStart: 0,
    residualCount: w.length,
    forecast,
  };
}
