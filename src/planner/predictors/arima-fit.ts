// Fixed-order ARIMA(p, d, q) fitting by conditional sum of squares (CSS), p, q ≤ 2.
//
// Model on the d-times differenced series w:  w_t = c + Σ φ_i w_{t−i} + e_t + Σ θ_j e_{t−j},
// conditioned on the first m values (m ≥ p, shared by all candidates of one selection so their likelihoods
// cover the same residuals) with e_t = 0 before m.
// Variable projection: for fixed θ the innovations are linear in (c, φ): filtering every regressor column and
// the target with 1/θ(B) (zero initial state) turns CSS into an ordinary least-squares problem, solved exactly
// by modified Gram–Schmidt. Only θ (≤ 2 numbers) is searched, with Nelder–Mead inside the invertibility
// region. Fits whose AR part is not stationary are rejected (null).

import { nelderMead } from "./nelder-mead.js";

export interface ArimaOrder {
  readonly p: number;
  readonly d: number;
  readonly q: number;
  /** Mean (d = 0) or drift (d = 1) term. */
  readonly includeConstant: boolean;
}

export interface ArimaFit extends ArimaOrder {
  readonly constant: number;
  readonly ar: readonly number[];
  readonly ma: readonly number[];
  /** Innovation variance, SSE / residual count (floored so exact fits stay comparable). */
  readonly sigma2: number;
  readonly aicc: number;
  readonly conditioningStart: number;
  readonly residualCount: number;
  /** One-step-ahead forecast of the original (undifferenced) series. */
  readonly forecast: number;
}

/** Distance kept from the unit circle so recursions stay stable. */
const ROOT_MARGIN = 1e-4;
/** θ to ~1e-4 is far finer than its sampling error (≈ 1/√n) on any series a planner sees. */
const NM_TOLERANCES = { xTolerance: 1e-4, fTolerance: 1e-8 } as const;

/** d-th difference of x. */
export function difference(x: readonly number[], d: number): number[] {
  let cur = x.slice();
  for (let k = 0; k < d; k++) {
    const next = new Array<number>(Math.max(0, cur.length - 1));
    for (let i = 1; i < cur.length; i++) next[i - 1] = cur[i]! - cur[i - 1]!;
    cur = next;
  }
  return cur;
}

/**
 * Roots of 1 − a1·z − a2·z² outside the unit circle (the AR(2) stationarity triangle); with a2 = 0 this is
 * |a1| < 1. MA invertibility of 1 + θ1·z + θ2·z² is the same test on (−θ1, −θ2).
 */
export function isStationary(a: readonly number[], margin = 0): boolean {
  const a1 = a[0] ?? 0;
  const a2 = a[1] ?? 0;
  const lim = 1 - margin;
  return a1 + a2 < lim && a2 - a1 < lim && Math.abs(a2) < lim;
}

export function isInvertible(theta: readonly number[], margin = ROOT_MARGIN): boolean {
  return isStationary(
    theta.map((t) => -t),
    margin,
  );
}

interface Profile {
  readonly beta: number[];
  readonly sse: number;
  /** Innovations e_t for t = m … N−1. */
  readonly residuals: Float64Array;
}

/** Scratch columns reused by every objective evaluation of one fit. */
interface Workspace {
  readonly target: Float64Array;
  readonly columns: Float64Array[];
}

function makeWorkspace(n: number, k: number): Workspace {
  return { target: new Float64Array(n), columns: Array.from({ length: k }, () => new Float64Array(n)) };
}

/** Fills the workspace with target and regressor columns filtered by 1/θ(B) (zero initial state). */
function filterColumns(
  w: readonly number[],
  m: number,
  includeConstant: boolean,
  theta: readonly number[],
  ws: Workspace,
): void {
  const { target, columns } = ws;
  const n = target.length;
  const q = theta.length;
  const k = columns.length;
  const lagOffset = includeConstant ? 0 : 1;
  for (let idx = 0; idx < n; idx++) {
    const t = idx + m;
    let y = w[t]!;
    for (let j = 1; j <= q && idx - j >= 0; j++) y -= theta[j - 1]! * target[idx - j]!;
    target[idx] = y;
    for (let c = 0; c < k; c++) {
      const col = columns[c]!;
      let v = includeConstant && c === 0 ? 1 : w[t - (c + lagOffset)]!;
      for (let j = 1; j <= q && idx - j >= 0; j++) v -= theta[j - 1]! * col[idx - j]!;
      col[idx] = v;
    }
  }
}

/**
 * CSS objective with θ fixed: the residual sum of squares of the filtered target after projecting out the
 * filtered regressors (in-place modified Gram–Schmidt, two passes; no coefficients needed).
 */
function profiledSse(
  w: readonly number[],
  m: number,
  includeConstant: boolean,
  theta: readonly number[],
  ws: Workspace,
): number {
  filterColumns(w, m, includeConstant, theta, ws);
  const { target, columns } = ws;
  const k = columns.length;
  for (let j = 0; j < k; j++) {
    const v = columns[j]!;
    const originalNorm = Math.sqrt(dot(v, v));
    const norm = orthogonalise(v, columns, j, originalNorm);
    if (norm > 1e-10 * originalNorm && norm > 0) scale(v, 1 / norm);
    else v.fill(0); // dependent column: contributes nothing
  }
  orthogonalise(target, columns, k, Math.sqrt(dot(target, target)));
  return dot(target, target);
}

/**
 * Removes from v its components along the first `count` (orthonormal or zero) columns; repeats the sweep once
 * when the norm collapsed below half ("twice is enough", Kahan–Parlett). Returns the new norm.
 */
function orthogonalise(
  v: Float64Array,
  columns: readonly Float64Array[],
  count: number,
  originalNorm: number,
): number {
  let norm = originalNorm;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < count; i++) {
      const qi = columns[i]!;
      const proj = dot(qi, v);
      if (proj !== 0) for (let t = 0; t < v.length; t++) v[t]! -= proj * qi[t]!;
    }
    const before = norm;
    norm = Math.sqrt(dot(v, v));
    if (norm >= 0.5 * before) break;
  }
  return norm;
}

function scale(v: Float64Array, factor: number): void {
  for (let t = 0; t < v.length; t++) v[t]! *= factor;
}

/** CSS with θ fixed, with coefficients and innovations: least squares over (c, φ) after filtering. */
function profile(
  w: readonly number[],
  m: number,
  p: number,
  includeConstant: boolean,
  theta: readonly number[],
): Profile {
  const n = w.length - m;
  const k = (includeConstant ? 1 : 0) + p;
  const ws = makeWorkspace(n, k);
  filterColumns(w, m, includeConstant, theta, ws);
  const { target, columns } = ws;
  const beta = solveLeastSquares(columns, target);
  const residuals = new Float64Array(n);
  let sse = 0;
  for (let idx = 0; idx < n; idx++) {
    let e = target[idx]!;
    for (let c = 0; c < k; c++) e -= beta[c]! * columns[c]![idx]!;
    residuals[idx] = e;
    sse += e * e;
  }
  return { beta, sse, residuals };
}

/**
 * Least squares over a handful of columns by modified Gram–Schmidt with one re-orthogonalisation pass.
 * A column that is (numerically) a combination of earlier ones gets coefficient 0.
 */
export function solveLeastSquares(columns: readonly Float64Array[], target: Float64Array): number[] {
  const k = columns.length;
  const n = target.length;
  const q: Float64Array[] = [];
  const r: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const independent: boolean[] = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from(columns[j]!);
    const originalNorm = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        if (!independent[i]) continue;
        const proj = dot(q[i]!, v);
        r[i]![j]! += proj;
        for (let t = 0; t < n; t++) v[t]! -= proj * q[i]![t]!;
      }
    }
    const norm = Math.sqrt(dot(v, v));
    const ok = norm > 1e-10 * originalNorm && norm > 0;
    independent.push(ok);
    if (ok) for (let t = 0; t < n; t++) v[t]! /= norm;
    r[j]![j] = ok ? norm : 0;
    q.push(v);
  }
  const z = q.map((qi, i) => (independent[i] ? dot(qi, target) : 0));
  const beta = new Array<number>(k).fill(0);
  for (let j = k - 1; j >= 0; j--) {
    if (!independent[j]) continue;
    let s = z[j]!;
    for (let i = j + 1; i < k; i++) s -= r[j]![i]! * beta[i]!;
    beta[j] = s / r[j]![j]!;
  }
  return beta;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Fits one order on the already differenced series `w` of the original series `x`, conditioning on the first
 * `m` values. Returns null when there are too few residuals for AICc or the AR part is not stationary.
 */
export function fitDifferencedArma(
  x: readonly number[],
  w: readonly number[],
  order: ArimaOrder,
  m: number,
  thetaStart?: readonly number[],
): ArimaFit | null {
  const { p, d, q, includeConstant } = order;
  if (m < p) throw new RangeError(`conditioning start ${m} < p = ${p}`);
  const n = w.length - m;
  const k = p + q + (includeConstant ? 1 : 0) + 1;
  if (n - k - 1 <= 0) return null;

  let theta: number[] = new Array<number>(q).fill(0);
  if (q > 0) {
    if (thetaStart !== undefined && thetaStart.length === q && isInvertible(thetaStart))
      theta = thetaStart.slice();
    const ws = makeWorkspace(n, p + (includeConstant ? 1 : 0));
    const objective = (t: readonly number[]): number =>
      isInvertible(t) ? profiledSse(w, m, includeConstant, t, ws) : Number.POSITIVE_INFINITY;
    theta = nelderMead(objective, theta, {
      steps: theta.map((t) => (t > 0.5 ? -0.2 : 0.2)),
      ...NM_TOLERANCES,
    }).x;
  }
  const prof = profile(w, m, p, includeConstant, theta);
  const constant = includeConstant ? prof.beta[0]! : 0;
  const ar = prof.beta.slice(includeConstant ? 1 : 0);
  if (p > 0 && !isStationary(ar)) return null;

  let meanSquare = 0;
  for (const v of w) meanSquare += v * v;
  meanSquare /= Math.max(1, w.length);
  const sigma2 = Math.max(prof.sse / n, 1e-300, 1e-14 * meanSquare);
  const logLik = (-n / 2) * (Math.log(2 * Math.PI * sigma2) + 1);
  const aicc = -2 * logLik + 2 * k + (2 * k * (k + 1)) / (n - k - 1);

  // One step ahead on the differenced scale, then undo the differencing.
  const last = w.length;
  let next = constant;
  for (let i = 1; i <= p; i++) next += ar[i - 1]! * w[last - i]!;
  for (let j = 1; j <= q; j++) {
    const idx = last - j - m;
    if (idx >= 0) next += theta[j - 1]! * prof.residuals[idx]!;
  }
  const forecast = integrate(x, d, next);
  return {
    p,
    d,
    q,
    includeConstant,
    constant,
    ar,
    ma: theta,
    sigma2,
    aicc,
    conditioningStart: m,
    residualCount: n,
    forecast,
  };
}

/** Level forecast from a forecast of the d-th difference. */
function integrate(x: readonly number[], d: number, nextDifference: number): number {
  const n = x.length;
  if (d === 0) return nextDifference;
  if (d === 1) return x[n - 1]! + nextDifference;
  return 2 * x[n - 1]! - x[n - 2]! + nextDifference;
}

/** Refit a known order on new data (the incremental update of an already selected model). */
export function fitArimaOrder(
  x: readonly number[],
  order: ArimaOrder,
  conditioningStart: number,
  thetaStart?: readonly number[],
): ArimaFit | null {
  const w = difference(x, order.d);
  return fitDifferencedArma(x, w, order, Math.max(order.p, conditioningStart), thetaStart);
}
