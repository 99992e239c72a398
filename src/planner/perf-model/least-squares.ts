// Ordinary least squares with intercept, returning the minimum-norm solution on rank-deficient data
// (docs/planner.md#regression-models). sklearn's LinearRegression centres X and y and solves with an
// SVD-based solver; a pseudo-inverse of the centred design matrix gives the same answer. Normal equations
// would be singular on the perfectly collinear benchmark sweeps the planner is bootstrapped from
// (kv = ctx · n).
import { Matrix, pseudoInverse } from "ml-matrix";

export interface LinearFit {
  readonly intercept: number;
  readonly coef: readonly number[];
}

/**
 * Fits y ≈ intercept + Σ coef[j]·x[j]. `rows[i]` holds the features of sample i (all of equal length ≥ 1);
 * `targets[i]` its response. Requires at least one row.
 */
export function fitMinNormLeastSquares(
  rows: readonly (readonly number[])[],
  targets: readonly number[],
): LinearFit {
  const n = rows.length;
  if (n === 0 || targets.length !== n)
    throw new RangeError("least squares needs ≥ 1 row and one target per row");
  const dims = rows[0]!.length;
  const xMean = new Array<number>(dims).fill(0);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    for (let j = 0; j < dims; j++) xMean[j]! += row[j]!;
    yMean += targets[i]!;
  }
  for (let j = 0; j < dims; j++) xMean[j]! /= n;
  yMean /= n;

  const centred = new Matrix(n, dims);
  const yCentred = new Matrix(n, 1);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    for (let j = 0; j < dims; j++) centred.set(i, j, row[j]! - xMean[j]!);
    yCentred.set(i, 0, targets[i]! - yMean);
  }
  const solution = pseudoInverse(centred).mmul(yCentred);
  const coef = new Array<number>(dims);
  let intercept = yMean;
  for (let j = 0; j < dims; j++) {
    const c = solution.get(j, 0);
    coef[j] = c;
    intercept -= xMean[j]! * c;
  }
  return { intercept, coef };
}
