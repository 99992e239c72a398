import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appendKvTiersSection, buildKvTiersSection } from "../../src/report/kv-tiers.js";
import { buildReport, reportToJson } from "../../src/report/summary.js";
import { RequestCollector } from "../../src/sim/collector.js";
import { preemptionsOf, replayScenario, scenarioArb } from "../support/collector-scenario-kit.js";

/**
 * A sharded replay gives every cell its own collector over local ids, ships it between threads as
 * exportState(), and merges the cells into request-id space. The report must be byte-identical to a single
 * collector's whatever the split and the merge order (wall-time fields left out).
 */
describe("merging cells' collectors", () => {
  it("gives the single-collector report byte for byte, for any split and merge order", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.nat(),
        (s, cellCount, assignment, orderSeed) => {
          const n = s.requests.length;
          const single = new RequestCollector(n);
          replayScenario(s, (i) => [single, i]);

          // Request i → cell cellOf[i], local id = its position among that cell's requests.
          const cellOf = s.requests.map((_, i) => (assignment[i] ?? i) % cellCount);
          const globalIds = Array.from({ length: cellCount }, (_, k) =>
            cellOf.flatMap((c, i) => (c === k ? [i] : [])),
          );
          const localId = cellOf.map((c, i) => (globalIds[c] as number[]).indexOf(i));
          const cells = globalIds.map((ids) => new RequestCollector(ids.length));
          replayScenario(s, (i) => [cells[cellOf[i] as number] as RequestCollector, localId[i] as number]);

          // Ship each cell through its transfer form, then merge in a rotated order.
          const shipped = cells.map((c) => RequestCollector.fromState(c.exportState()));
          const merged = new RequestCollector(n);
          for (let k = 0; k < cellCount; k++) {
            const cell = (orderSeed + k) % cellCount;
            merged.mergeFrom(
              shipped[cell] as RequestCollector,
              Uint32Array.from(globalIds[cell] as number[]),
            );
          }

          const trace = {
            inputTokens: Uint32Array.from(s.requests.map((r) => r.inputTokens)),
            outputTokens: Uint32Array.from(s.requests.map((r) => r.outputTokens)),
          };
          // With the kv_tiers section (host and disk parts, onboarding), which the merge must carry too.
          const json = (c: RequestCollector, wallMs: number): string =>
            appendKvTiersSection(
              reportToJson(buildReport(c, trace, wallMs), { omitWallTime: true }),
              buildKvTiersSection(c, trace, 160),
            );
          const a = json(single, 1);
          const b = json(merged, 2);
          expect(b).toBe(a);
          expect(merged.firstTokenMs).toEqual(single.firstTokenMs);
          expect(merged.secondTokenMs).toEqual(single.secondTokenMs);
          expect(merged.workerId).toEqual(single.workerId);
          expect(Array.from(merged.preemptions)).toEqual(s.requests.map(preemptionsOf));
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it("refuses to merge a request both collectors recorded", () => {
    const a = new RequestCollector(2);
    const b = new RequestCollector(1);
    a.onArrival(1, 0);
    b.onArrival(0, 3);
    expect(() => a.mergeFrom(b, [1])).toThrow(/recorded by both/);
  });
});
