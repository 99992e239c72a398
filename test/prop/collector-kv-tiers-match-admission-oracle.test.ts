import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildKvTiersSection } from "../../src/report/kv-tiers.js";
import { RequestCollector } from "../../src/sim/collector.js";
import {
  replayScenario,
  type Scenario,
  scenarioArb,
  TICKS_PER_MS,
} from "../support/collector-scenario-kit.js";

const BYTES_PER_TOKEN = 327_680;

/**
 * Slow oracle of the kv_tiers section, from the definitions (docs/replay.md#kv-tiers) applied to each request's
 * list of admissions: the tier split is the one of the first admission with the largest reuse; onboarded tokens
 * and time add up over admissions; a request counts when it completed (admitted, ≥ 1 token).
 */
function oracle(s: Scenario) {
  let input = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  let moved = 0;
  const ms: number[] = [];
  for (const r of s.requests) {
    if (!r.arrives || r.admissions.length === 0 || r.tokenGapsTicks.length === 0) continue;
    input += r.inputTokens;
    let best = r.admissions[0] as (typeof r.admissions)[number];
    for (const a of r.admissions) if (a.reused > best.reused) best = a;
    g1 += best.reused - best.host - best.disk;
    g2 += best.host;
    g3 += best.disk;
    const tokens = r.admissions.reduce((sum, a) => sum + a.host + a.disk, 0);
    const ticks = r.admissions.reduce((sum, a) => sum + a.onboardTicks, 0);
    if (tokens > 0) {
      moved += tokens;
      ms.push(ticks / TICKS_PER_MS);
    }
  }
  ms.sort((a, b) => a - b);
  const rank = (p: number): number | null =>
    ms.length === 0 ? null : (ms[Math.round(((ms.length - 1) * p) / 100)] as number);
  return {
    g1: input === 0 ? 0 : g1 / input,
    g2: input === 0 ? 0 : g2 / input,
    g3: input === 0 ? 0 : g3 / input,
    requests: ms.length,
    meanMs: ms.length === 0 ? null : ms.reduce((a, b) => a + b, 0) / ms.length,
    p50: rank(50),
    p99: rank(99),
    bytes: moved * BYTES_PER_TOKEN,
  };
}

describe("the kv_tiers section of a collector", () => {
  it("matches the per-admission oracle: split of the max-reuse admission, onboarding summed", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const c = new RequestCollector(s.requests.length);
        replayScenario(s, (i) => [c, i]);
        const trace = { inputTokens: Uint32Array.from(s.requests.map((r) => r.inputTokens)) };
        const got = buildKvTiersSection(c, trace, BYTES_PER_TOKEN);
        const want = oracle(s);
        expect(got.reused_ratio_g1).toBe(want.g1);
        expect(got.reused_ratio_g2).toBe(want.g2);
        expect(got.reused_ratio_g3).toBe(want.g3);
        expect(got.onboarding.requests).toBe(want.requests);
        expect(got.onboarding.p50_ms).toBe(want.p50);
        expect(got.onboarding.p99_ms).toBe(want.p99);
        expect(got.onboarding.bytes).toBe(want.bytes);
        if (want.meanMs === null) expect(got.onboarding.mean_ms).toBeNull();
        else expect(got.onboarding.mean_ms).toBeCloseTo(want.meanMs, 9);
      }),
      { seed: 1515, numRuns: 200 },
    );
  });
});
