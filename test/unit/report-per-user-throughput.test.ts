import { describe, expect, it } from "vitest";
import { buildReport } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";

/**
 * Per-user output-token throughput = 1000 / gap (tokens/s) for every token gap > 0, pooled across requests.
 * Request A: tokens at 10, 12, 15, 20 → gaps 2, 3, 5 → 500, 333.33…, 200
 * Request B: tokens at 30, 30, 50     → gaps 0 (skipped), 20 → 50
 * Pooled, sorted: [50, 200, 1000/3, 500]; n = 4
 *   mean = (50 + 200 + 1000/3 + 500) / 4 = (3250/3) / 4 = 3250/12 = 270.833…
 *   nearest rank: p50 → round(1.5) = 2 → 1000/3; p75 → round(2.25) = 2 → 1000/3; p90 → round(2.7) = 3 → 500
 *   std: Σx = 3250/3, Σx² = 2500 + 40000 + 10^6/9 + 250000 = 292500 + 111111.1… = 403611.1…
 *        variance = Σx²/4 − mean² = 100902.77… − 73350.69… = 27552.08… → std ≈ 165.988
 */
describe("per-user output-token throughput", () => {
  const c = new RequestCollector(2);
  c.onArrival(0, 0);
  c.onAdmit(0, 0, 0);
  for (const t of [10, 12, 15, 20]) c.onToken(0, t);
  c.onArrival(1, 0);
  c.onAdmit(1, 0, 0);
  for (const t of [30, 30, 50]) c.onToken(1, t);
  const r = buildReport(
    c,
    { inputTokens: new Uint32Array([1, 1]), outputTokens: new Uint32Array([4, 3]) },
    1,
  );

  it("pools 1000/gap over positive gaps only", () => {
    expect(c.rateMoments.count).toBe(4);
    expect(c.itlMoments.count).toBe(5);
    expect(r.min_output_token_throughput_per_user).toBe(50);
    expect(r.max_output_token_throughput_per_user).toBe(500);
    expect(r.mean_output_token_throughput_per_user).toBeCloseTo(3250 / 12, 10);
  });

  it("gives population std and nearest-rank percentiles within the histogram bound", () => {
    const mean = 3250 / 12;
    const meanOfSquares = (2500 + 40000 + 1e6 / 9 + 250000) / 4;
    expect(r.std_output_token_throughput_per_user).toBeCloseTo(Math.sqrt(meanOfSquares - mean * mean), 8);
    const bound = 2 ** -10;
    expect(Math.abs((r.median_output_token_throughput_per_user as number) - 1000 / 3)).toBeLessThanOrEqual(
      (1000 / 3) * bound,
    );
    expect(Math.abs((r.p75_output_token_throughput_per_user as number) - 1000 / 3)).toBeLessThanOrEqual(
      (1000 / 3) * bound,
    );
    expect(r.p90_output_token_throughput_per_user).toBe(500);
  });
});
