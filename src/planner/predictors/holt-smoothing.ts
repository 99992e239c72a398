// Holt's linear trend method (double exponential smoothing), the kvsim substitute for Prophet.
//   level_t = α·y_t + (1 − α)·(level_{t−1} + trend_{t−1})
//   trend_t = β·(level_t − level_{t−1}) + (1 − β)·trend_{t−1}
//   forecast = level_{n−1} + trend_{n−1}
// Initial state: level_0 = y_0, trend_0 = y_1 − y_0 (so the one-step forecast of y_1 is exact).
// α and β minimise the one-step-ahead sum of squared errors over the window: the best point of a 5 × 5
// grid seeds Nelder–Mead on logit(α), logit(β), so both stay strictly inside (0, 1).
import { nelderMead } from "./nelder-mead.js";

export interface HoltFit {
  readonly alpha: number;
  readonly beta: number;
  readonly level: number;
  readonly trend: number;
  /** One-step-ahead sum of squared errors over the window. */
  readonly sse: number;
  readonly forecast: number;
}

const GRID = [0.1, 0.3, 0.5, 0.7, 0.9] as const;
/** logit bound: α, β ∈ [sigmoid(−20), sigmoid(20)]. */
const MAX_LOGIT = 20;

/** Runs the recursions for given weights; y needs ≥ 2 points. */
export function holtSmooth(y: readonly number[], alpha: number, beta: number): HoltFit {
  if (y.length < 2) throw new RangeError("Holt smoothing needs at least 2 points");
  let level = y[0]!;
  let trend = y[1]! - y[0]!;
  let sse = 0;
  for (let t = 1; t < y.length; t++) {
    const predicted = level + trend;
    const error = y[t]! - predicted;
    sse += error * error;
    const nextLevel = alpha * y[t]! + (1 - alpha) * predicted;
    trend = beta * (nextLevel - level) + (1 - beta) * trend;
    level = nextLevel;
  }
  return { alpha, beta, level, trend, sse, forecast: level + trend };
}

function sigmoid(u: number): number {
  return 1 / (1 + Math.exp(-u));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Fits α and β by minimising the one-step SSE. */
export function fitHolt(y: readonly number[]): HoltFit {
  let bestAlpha = 0.5;
  let bestBeta = 0.5;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const a of GRID) {
    for (const b of GRID) {
      const sse = holtSmooth(y, a, b).sse;
      if (sse < bestSse) {
        bestSse = sse;
        bestAlpha = a;
        bestBeta = b;
      }
    }
  }
  const objective = (u: readonly number[]): number => {
    const ua = u[0]!;
    const ub = u[1]!;
    if (Math.abs(ua) > MAX_LOGIT || Math.abs(ub) > MAX_LOGIT) return Number.POSITIVE_INFINITY;
    return holtSmooth(y, sigmoid(ua), sigmoid(ub)).sse;
  };
  const result = nelderMead(objective, [logit(bestAlpha), logit(bestBeta)], {
    steps: [0.5, 0.5],
    xTolerance: 1e-6,
    fTolerance: 1e-12,
  });
  const fit = holtSmooth(y, sigmoid(result.x[0]!), sigmoid(result.x[1]!));
  return fit.sse <= bestSse ? fit : holtSmooth(y, bestAlpha, bestBeta);
}
