import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { PlannerReplay, plannerReplaySetup } from "../../src/replay/planner-replay.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { FakeSimulation, fpm } from "../support/fake-simulation-kit.js";

describe("SLA mode trains the regressions on every pass of a tick (docs/design.md#fpm-caches)", () => {
  it("all but the last pass per worker go in directly (heartbeats skipped); the last ones through the pruned cache", () => {
    const config = parsePlannerConfig({
      mode: "disagg",
      optimization_target: "sla",
      enable_load_scaling: true,
    });
    const setup = plannerReplaySetup(resolveClusterOptions({ mode: "disagg" }, 512), { config });
    // Bootstrap with the default engines: 9 prefill points, 8 + 8 + 8 + 5 = 29 decode points.
    expect(setup.benchmarkFpms?.prefill).toHaveLength(9);
    expect(setup.benchmarkFpms?.decode).toHaveLength(29);
    const sim = new FakeSimulation({
      active: [1, 1],
      doneAtMs: 10_000,
      steps: [
        {
          snapshots: {
            // Prefill worker 0: a pass, an idle heartbeat, a pass (the last).
            0: [
              fpm(0, { wallTime: 0.1, numPrefill: 1, prefillTokens: 500 }),
              fpm(0, { wallTime: 0 }),
              fpm(0, { wallTime: 0.2, numPrefill: 1, prefillTokens: 1000 }),
            ],
            // Decode worker 0 (active) twice; worker 1 is draining (active count 1) and passes once.
            1: [
              fpm(0, { wallTime: 0.011, numDecode: 2, decodeKv: 1000 }),
              fpm(1, { wallTime: 0.009, numDecode: 1, decodeKv: 700 }),
              fpm(0, { wallTime: 0.012, numDecode: 2, decodeKv: 1100 }),
            ],
          },
        },
      ],
    });
    const replay = new PlannerReplay(sim, setup);
    replay.run();
    const models = replay.stateMachine.regressionModels;
    // Prefill: 9 + the 500-token pass (direct) + the 1000-token pass (cache); the heartbeat is not a sample.
    expect(models?.prefill?.sampleCount).toBe(11);
    const prefillX = models?.prefill?.storedSamples().map((s) => s.x[0]) ?? [];
    expect(prefillX.filter((x) => x === 500 || x === 1000).sort((a, b) => a - b)).toEqual([500, 1000]);
    // Decode: 29 + worker 0's first pass (direct) + its last (cache). Worker 1's only pass is its last, and the
    // cache pruned to one active worker drops the highest id, so it trains nothing.
    expect(models?.decode?.sampleCount).toBe(31);
    const decodeKv = models?.decode?.storedSamples().map((s) => s.x[1]) ?? [];
    expect(decodeKv).toContain(1000);
    expect(decodeKv).toContain(1100);
    expect(decodeKv).not.toContain(700);
  });
});
