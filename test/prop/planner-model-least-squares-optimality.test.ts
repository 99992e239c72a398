// The min-norm least-squares solver satisfies the two conditions that define sklearn's answer: residuals
// orthogonal to every centred feature column (optimality) and, on collinear data, coefficients orthogonal to
// the null space of the centred design (minimum norm).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitMinNormLeastSquares } from "../../src/planner/perf-model/least-squares.js";

describe("fitMinNormLeastSquares", () => {
  it("is optimal on random data and minimum-norm on collinear data", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 1000 }),
            fc.integer({ min: 0, max: 1000 }),
            fc.double({ min: -1, max: 1, noNaN: true }),
          ),
          {
            minLength: 3,
            maxLength: 30,
          },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 50 }),
        (points, collinear, ratio) => {
          const rows = points.map(([n, kv]) => [n, collinear ? ratio * n : kv]);
          const y = points.map(
            ([n, kv, noise], i) => 0.002 * n + 1e-4 * rows[i]![1]! + 0.01 * noise + 1e-3 * (kv % 7),
          );
          const fit = fitMinNormLeastSquares(rows, y);
          const mean = [0, 1].map((j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
          const residual = rows.map(
            (r, i) => y[i]! - fit.intercept - fit.coef[0]! * r[0]! - fit.coef[1]! * r[1]!,
          );
          const scale = Math.max(1, ...y.map(Math.abs)) * 1000 * rows.length;
          // Residuals sum to 0 (intercept) and are orthogonal to each centred column.
          expect(Math.abs(residual.reduce((s, e) => s + e, 0))).toBeLessThan(1e-9 * scale);
          for (let j = 0; j < 2; j++) {
            const dot = rows.reduce((s, r, i) => s + (r[j]! - mean[j]!) * residual[i]!, 0);
            expect(Math.abs(dot)).toBeLessThan(1e-7 * scale);
          }
          // Collinear (kv = ratio·n): null space of the centred design is (ratio, −1); min-norm coef ⟂ it.
          if (collinear && rows.some((r) => r[0] !== rows[0]![0])) {
            const along = fit.coef[0]! * ratio - fit.coef[1]!;
            expect(Math.abs(along)).toBeLessThanOrEqual(
              1e-9 * (Math.abs(fit.coef[0]!) * ratio + Math.abs(fit.coef[1]!)) + 1e-15,
            );
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
