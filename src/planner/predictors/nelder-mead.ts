// Nelder–Mead simplex minimiser (standard coefficients: reflect 1, expand 2, contract ½, shrink ½; stopping
// rule as scipy's: simplex spread in x ≤ xTol and in f ≤ fTol·max(1, |f_best|), or the iteration cap). Used for the few
// non-linear parameters of the forecasters (ARMA moving-average terms, Holt's smoothing weights). The
// objective may return +Infinity to mark infeasible points; the starting point must be feasible.

export interface NelderMeadOptions {
  /** Initial simplex offset per coordinate. */
  readonly steps: readonly number[];
  readonly maxIterations?: number;
  readonly xTolerance?: number;
  readonly fTolerance?: number;
}

export interface NelderMeadResult {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
}

export function nelderMead(
  objective: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions,
): NelderMeadResult {
  const dims = start.length;
  const maxIterations = options.maxIterations ?? 200 * Math.max(1, dims);
  const xTol = options.xTolerance ?? 1e-8;
  const fTol = options.fTolerance ?? 1e-10;
  if (dims === 0) return { x: [], value: objective([]), iterations: 0 };

  const points: number[][] = [start.slice()];
  for (let i = 0; i < dims; i++) {
    const p = start.slice();
    p[i]! += options.steps[i] ?? 0.1;
    points.push(p);
  }
  const values = points.map((p) => objective(p));
  const order = points.map((_, i) => i);

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    order.sort((a, b) => compareValues(values[a]!, values[b]!));
    const best = order[0]!;
    const worst = order[dims]!;
    const secondWorst = order[dims - 1]!;
    if (converged(points, values, order, xTol, fTol)) break;

    const centroid = new Array<number>(dims).fill(0);
    for (let k = 0; k < dims; k++) {
      const p = points[order[k]!]!;
      for (let j = 0; j < dims; j++) centroid[j]! += p[j]! / dims;
    }
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (c - points[worst]![j]!));

    const reflected = along(1);
    const fReflected = objective(reflected);
    if (fReflected < values[best]!) {
      const expanded = along(2);
      const fExpanded = objective(expanded);
      if (fExpanded < fReflected) replace(worst, expanded, fExpanded);
      else replace(worst, reflected, fReflected);
      continue;
    }
    if (fReflected < values[secondWorst]!) {
      replace(worst, reflected, fReflected);
      continue;
    }
    const outside = fReflected < values[worst]!;
    const contracted = along(outside ? 0.5 : -0.5);
    const fContracted = objective(contracted);
    if (outside ? fContracted <= fReflected : fContracted < values[worst]!) {
      replace(worst, contracted, fContracted);
      continue;
    }
    const anchor = points[best]!;
    for (let k = 1; k <= dims; k++) {
      const i = order[k]!;
      const shrunk = points[i]!.map((v, j) => anchor[j]! + 0.5 * (v - anchor[j]!));
      replace(i, shrunk, objective(shrunk));
    }
  }
  order.sort((a, b) => compareValues(values[a]!, values[b]!));
  const best = order[0]!;
  return { x: points[best]!, value: values[best]!, iterations };

  function replace(i: number, p: number[], f: number): void {
    points[i] = p;
    values[i] = f;
  }
}

/** Orders by value with NaN treated as +Infinity. */
function compareValues(a: number, b: number): number {
  const x = Number.isNaN(a) ? Number.POSITIVE_INFINITY : a;
  const y = Number.isNaN(b) ? Number.POSITIVE_INFINITY : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

function converged(
  points: readonly number[][],
  values: readonly number[],
  order: readonly number[],
  xTol: number,
  fTol: number,
): boolean {
  const best = points[order[0]!]!;
  const fBest = values[order[0]!]!;
  let xSpread = 0;
  let fSpread = 0;
  for (let k = 1; k < order.length; k++) {
    const p = points[order[k]!]!;
    for (let j = 0; j < best.length; j++) xSpread = Math.max(xSpread, Math.abs(p[j]! - best[j]!));
    const f = values[order[k]!]!;
    fSpread = Math.max(fSpread, f === fBest ? 0 : Math.abs(f - fBest));
  }
  return xSpread <= xTol && fSpread <= fTol * Math.max(1, Math.abs(fBest));
}
