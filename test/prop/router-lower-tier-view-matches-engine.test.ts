import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterOptions } from "../../src/sim/cluster/cluster-options.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { KvTier } from "../../src/sim/engine/kv-event-log.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

/**
 * The router's lower-tier view against the engines' host and disk tiers, on random small clusters whose tiny GPU
 * caches keep offloading, moving blocks host → disk, dropping them and onboarding them back:
 * - fed by the KV events (mirrorPools false), --check-invariants compares the view with every live worker's
 *   tiers after every pass (router-view-check.ts), and at the end the view equals each engine's hostKeys() /
 *   diskKeys();
 * - reading the engines' tier chains (the pool mirror, the default) routes every request to the same worker.
 */

const BLOCK = 16;

const requestArb = fc.record({
  family: fc.integer({ min: 0, max: 3 }),
  shared: fc.integer({ min: 0, max: 5 }),
  blocks: fc.integer({ min: 1, max: 6 }),
  osl: fc.integer({ min: 1, max: 4 }),
  gapMs: fc.integer({ min: 0, max: 400 }),
});

const scenarioArb = fc.record({
  requests: fc.array(requestArb, { minLength: 2, maxLength: 40 }),
  workers: fc.integer({ min: 1, max: 3 }),
  gpuBlocks: fc.integer({ min: 8, max: 16 }),
  hostBlocks: fc.integer({ min: 0, max: 10 }),
  diskBlocks: fc.integer({ min: 0, max: 10 }),
  hostBandwidth: fc.constantFrom(0.01, 1, 100),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function simulate(s: Scenario, mirrorPools: boolean): ClusterSimulation {
  let unique = 1000;
  let t = 0;
  const rows = s.requests.map((r) => {
    t += r.gapMs;
    const hashIds = Array.from({ length: r.blocks }, (_, j) =>
      j < r.shared ? r.family * 100 + j : unique++,
    );
    return { isl: r.blocks * BLOCK, osl: r.osl, hashIds, arrivalMs: t };
  });
  const engineArgs = {
    block_size: BLOCK,
    num_gpu_blocks: s.gpuBlocks,
    kv_bytes_per_token: 1000,
    host_kv_blocks: s.hostBlocks,
    host_kv_bandwidth: s.hostBandwidth,
    disk_kv_blocks: s.diskBlocks,
    disk_kv_bandwidth: 0.01,
  };
  const options = resolveClusterOptions(
    { numWorkers: s.workers, routerMode: "kv", engineArgs, checkInvariants: true },
    BLOCK,
  );
  const full: ClusterOptions = { ...options, mirrorPools };
  const sim = new ClusterSimulation(tinyTrace(rows, BLOCK), full, {});
  sim.run();
  return sim;
}

describe("the router's lower-tier view holds what the engines' host and disk tiers hold", () => {
  it("fed by events it matches every engine after every pass, and routes like the mirrored view", () => {
    let withLowerBlocks = 0;
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const byEvents = simulate(s, false);
        const mirrored = simulate(s, true);
        expect(Array.from(byEvents.collector.workerId)).toEqual(Array.from(mirrored.collector.workerId));
        const stage = byEvents.stages[0];
        if (stage === undefined) throw new Error("no stage");
        for (let w = 0; w < stage.pool.idLimit; w++) {
          if (!stage.pool.exists(w)) continue;
          const chain = stage.pool.worker(w).mirrorablePool?.()?.lowerTiers ?? null;
          const sorted = (a: number[]) => a.sort((x, y) => x - y);
          const router = stage.router;
          if ((chain?.hostCount ?? 0) + (chain?.diskCount ?? 0) > 0) withLowerBlocks++;
          expect(router.lowerTierBlocks?.(w, KvTier.Host)).toEqual(sorted(chain?.hostKeys() ?? []));
          expect(router.lowerTierBlocks?.(w, KvTier.Disk)).toEqual(sorted(chain?.diskKeys() ?? []));
        }
      }),
      { numRuns: 60, seed: 152 },
    );
    // The histories do exercise the tiers.
    expect(withLowerBlocks).toBeGreaterThan(20);
  });
});
