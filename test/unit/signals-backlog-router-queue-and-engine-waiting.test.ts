import { describe, expect, it } from "vitest";
import { BacklogTracker } from "../../src/sim/cluster/backlog-tracker.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

// Constant pass costs: any prefill 10 ms, any decode step 10 ms (one-point interpolation tables).
const CONSTANT_10MS = {
  type: "interpolated",
  table: {
    prefill_isl: [0],
    prefill_ttft_ms: [10],
    decode_active_kv_tokens: [0],
    decode_context_length: [0],
    decode_itl: [[10]],
  },
};

describe("backlog tracker", () => {
  it("moves a request router → engine → done and keeps exact totals", () => {
    const t = new BacklogTracker(4);
    t.onRouterArrival(0, 100);
    t.onRouterArrival(1, 300);
    expect(t.snapshot()).toEqual({
      routerQueuedRequests: 2,
      routerQueuedPromptTokens: 400,
      enginePrefillRequests: 0,
      enginePrefillPromptTokens: 0,
      enginePrefillUncachedTokens: 0,
    });
    t.onAdmitted(1, 128); // 300 − 128 = 172 uncached
    t.onAdmitted(0, 256); // overlap beyond the prompt: 0 uncached
    expect(t.snapshot()).toEqual({
      routerQueuedRequests: 0,
      routerQueuedPromptTokens: 0,
      enginePrefillRequests: 2,
      enginePrefillPromptTokens: 400,
      enginePrefillUncachedTokens: 172,
    });
    t.onFirstToken(1);
    t.onFirstToken(1); // a second first token (e.g. completion after it) changes nothing
    t.onAdmitted(1, 0); // not in the router any more: ignored
    expect(t.snapshot()).toEqual({
      routerQueuedRequests: 0,
      routerQueuedPromptTokens: 0,
      enginePrefillRequests: 1,
      enginePrefillPromptTokens: 100,
      enginePrefillUncachedTokens: 0,
    });
    t.onRouterArrival(2, 50);
    t.onFirstToken(2); // finished straight from the router (never admitted)
    t.onFirstToken(0);
    expect(t.snapshot().routerQueuedRequests + t.snapshot().enginePrefillRequests).toBe(0);
  });
});

describe("the simulation's backlog signal", () => {
  it("counts engine-waiting requests with the router's predicted overlap taken off their prompt", () => {
    // One worker, two sequences at a time, 64-token blocks. t=0: A (long decode) and D (2 blocks, one token)
    // run; D's two full blocks stay cached after it finishes. t=0.5 s: B (long decode) takes D's slot. t=1 s:
    // E (D's two blocks + two new ones) and F (one new block) arrive and wait: both slots are held by A and B
    // for ~9 s. At t=2 s the engine backlog is E + F: 320 prompt tokens, of which the router predicts E's
    // first 128 cached → 256 − 128 + 64 = 192 uncached; nothing waits in the router.
    const trace = tinyTrace(
      [
        { isl: 64, osl: 900, hashIds: [1], arrivalMs: 0 },
        { isl: 128, osl: 1, hashIds: [11, 12], arrivalMs: 0 },
        { isl: 64, osl: 900, hashIds: [71], arrivalMs: 500 },
        { isl: 256, osl: 5, hashIds: [11, 12, 13, 14], arrivalMs: 1000 },
        { isl: 64, osl: 5, hashIds: [51], arrivalMs: 1000 },
      ],
      64,
    );
    const options = resolveClusterOptions(
      {
        mode: "agg",
        numWorkers: 1,
        engineArgs: { num_gpu_blocks: 64, block_size: 64, max_num_seqs: 2, perf_model: CONSTANT_10MS },
      },
      64,
    );
    const sim = new ClusterSimulation(trace, { ...options, collectFpm: true });
    sim.advanceTo(2000);
    expect(sim.backlog(0)).toEqual({
      routerQueuedRequests: 0,
      routerQueuedPromptTokens: 0,
      enginePrefillRequests: 2,
      enginePrefillPromptTokens: 320,
      enginePrefillUncachedTokens: 192,
    });
    sim.run();
    expect(sim.backlog(0)).toEqual({
      routerQueuedRequests: 0,
      routerQueuedPromptTokens: 0,
      enginePrefillRequests: 0,
      enginePrefillPromptTokens: 0,
      enginePrefillUncachedTokens: 0,
    });
  });

  it("counts requests the router holds while every worker is busy", () => {
    // Busy threshold 0.001 × 8192 batched tokens ≈ 8 outstanding prefill tokens: once A (64 tokens) is
    // admitted, the only worker is busy until A's prefill completes, so B and C (t=0 too) wait in the router.
    const trace = tinyTrace(
      [
        { isl: 64, osl: 5, hashIds: [1] },
        { isl: 128, osl: 5, hashIds: [2, 3] },
        { isl: 64, osl: 5, hashIds: [4] },
      ],
      64,
    );
    const options = resolveClusterOptions(
      {
        mode: "agg",
        numWorkers: 1,
        engineArgs: { num_gpu_blocks: 64, block_size: 64, perf_model: CONSTANT_10MS },
        routerConfig: { router_queue_threshold: 0.001 },
      },
      64,
    );
    const sim = new ClusterSimulation(trace, { ...options, collectFpm: true });
    sim.advanceTo(5);
    expect(sim.backlog(0)).toEqual({
      routerQueuedRequests: 2,
      routerQueuedPromptTokens: 192,
      enginePrefillRequests: 1,
      enginePrefillPromptTokens: 64,
      enginePrefillUncachedTokens: 64,
    });
  });

  it("is empty without a planner (no tracking cost on plain replays)", () => {
    const trace = tinyTrace([{ isl: 64, osl: 5, hashIds: [1] }], 64);
    const sim = new ClusterSimulation(trace, resolveClusterOptions({ numWorkers: 1 }, 64));
    sim.advanceTo(0);
    expect(sim.backlog(0).enginePrefillRequests).toBe(0);
  });
});
