import { describe, expect, it } from "vitest";
import { SweepPool } from "../../src/parallel/sweep/pool.js";
import { runSweep } from "../../src/parallel/sweep/run-sweep.js";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { omitWallTime } from "../../src/report/json-stable.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { defaultEngineArgs, parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { EngineWorker } from "../../src/sim/engine/engine-worker.js";
import { InterpolatedPassTimeModel } from "../../src/sim/engine/pass-time-interpolated.js";
import { RandomRouter, RoundRobinRouter } from "../../src/sim/router/baseline-routers.js";
import { KvRouter } from "../../src/sim/router/kv-router.js";
import { DEFAULT_ROUTER_CONFIG, parseRouterConfig } from "../../src/sim/router/router-config.js";
import { WorkloadDriver } from "../../src/sim/workload/workload-driver.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { InputError } from "../../src/util/errors.js";

/** Replay entry points take partial options (the rest resolved with the documented defaults) or throw clearly. */

const trace = synthesizeTrace({ requests: 40, seed: 3 });

describe("replays from partial cluster options", () => {
  it("runReplay(trace, {}) is the replay of the default cluster: one agg worker, KV router, seed 0", () => {
    const partial = runReplay(trace, {});
    const resolved = runReplay(trace, resolveClusterOptions({}, trace.traceBlockSize));
    expect(partial.simulation.options).toEqual(resolved.simulation.options);
    expect(partial.simulation.options).toMatchObject({
      mode: "agg",
      numWorkers: 1,
      routerMode: "kv",
      seed: 0,
    });
    expect(omitWallTime(partial.report)).toEqual(omitWallTime(resolved.report));
    expect(partial.report.completed_requests).toBe(40);
    expect(Number.isFinite(partial.report.mean_ttft_ms)).toBe(true);
  });

  it("fills what a partial object leaves out, including partial engine args and router config", () => {
    const input = {
      numWorkers: 3,
      engineArgs: { num_gpu_blocks: 4096 },
      routerConfig: { router_temperature: 0.5 },
    };
    const partial = runReplay(trace, input);
    const resolved = runReplay(trace, resolveClusterOptions(input, trace.traceBlockSize));
    expect(omitWallTime(partial.report)).toEqual(omitWallTime(resolved.report));
    expect(partial.simulation.options.engineArgs).toEqual({ ...defaultEngineArgs(), num_gpu_blocks: 4096 });
    expect(partial.simulation.options.routerConfig).toEqual({
      ...DEFAULT_ROUTER_CONFIG,
      router_temperature: 0.5,
    });
    expect(new ClusterSimulation(trace, { numWorkers: 3 }).options.numWorkers).toBe(3);
  });

  it("refuses a misspelt option instead of silently using the default", () => {
    expect(() => runReplay(trace, { numWorker: 8 } as object)).toThrow(
      /resolveClusterOptions: unknown option "numWorker"/,
    );
    expect(() => resolveClusterOptions({ seed: -1 }, 512)).toThrow(InputError);
  });

  it("runReplay with a planner takes partial cluster and planner configs; a missing config is a TypeError", () => {
    const partial = runReplay(trace, { mode: "agg" }, { planner: { config: { mode: "agg" } } });
    expect(partial.planner?.replicas.agg?.initial).toBe(1);
    const sameAsFile = runReplay(trace, resolveClusterOptions({ mode: "agg" }, trace.traceBlockSize), {
      planner: { config: parsePlannerConfig({ mode: "agg" }) },
    });
    expect(JSON.stringify(partial.planner)).toBe(JSON.stringify(sameAsFile.planner));
    expect(() => runReplay(trace, {}, { planner: {} as never })).toThrow(/planner\.config is required/);
  });
});

describe("options parsers and synthesis from partial objects", () => {
  it("parseEngineArgs / parseRouterConfig without a label parse {} to the defaults", () => {
    expect(parseEngineArgs({}).block_size).toBe(64);
    expect(parseRouterConfig({})).toEqual(DEFAULT_ROUTER_CONFIG);
    expect(() => parseEngineArgs({ num_gpu_blocks: 0 })).toThrow(/^engine args: field "num_gpu_blocks"/);
  });

  it("synthesizeTrace fills every knob left out and refuses unknown knobs and presets", () => {
    expect(synthesizeTrace({ requests: 5 }).count).toBe(5);
    // A JavaScript caller's undefined field means "use the default" (seed 42), as an absent one does.
    const fromJs = { requests: 5, seed: undefined } as unknown as { requests: number };
    expect(synthesizeTrace(fromJs)).toEqual(synthesizeTrace({ requests: 5, seed: 42 }));
    expect(() => synthesizeTrace({ requestCount: 5 } as object)).toThrow(/unknown option "requestCount"/);
    expect(() => synthesizeTrace({}, "no-such" as "shared-prefix")).toThrow(/unknown preset "no-such"/);
  });
});

describe("internals with required options throw a TypeError naming the missing field", () => {
  it.each([
    ["KvRouter", () => new KvRouter({} as never), /KvRouter: options\.config is required/],
    ["RoundRobinRouter", () => new RoundRobinRouter({} as never), /RoundRobinRouter: options\.blockSize/],
    ["RandomRouter", () => new RandomRouter({} as never), /RandomRouter: options\.rng is required/],
    ["EngineWorker", () => new EngineWorker({} as never), /EngineWorker: options\.id is required/],
    ["SweepPool", () => new SweepPool({} as never), /SweepPool: options\.threads is required/],
    ["InterpolatedPassTimeModel", () => new InterpolatedPassTimeModel({} as never), /field "prefill_isl"/],
  ])("%s({})", (_name, make, message) => {
    expect(make).toThrow(message);
  });

  it("runSweep({}) rejects with a TypeError naming grid", async () => {
    await expect(runSweep({} as never)).rejects.toThrow(/runSweep: options\.grid is required/);
  });

  it("WorkloadDriver(trace) defaults to trace timestamps at speed 1 (open loop)", () => {
    // Single-turn sessions released by t = 2 s after the first arrival: those whose arrival gap is <= 2000 ms.
    const first = trace.arrivalMs[0] as number;
    const dueBy2s = Array.from(trace.arrivalMs).filter((ms) => ms - first <= 2000).length;
    const out = new Int32Array(trace.count);
    const arrivals = new Float64Array(trace.count);
    expect(new WorkloadDriver(trace).popReady(2000, 0, out, arrivals)).toBe(dueBy2s);
    expect(dueBy2s).toBeGreaterThan(0);
    expect(dueBy2s).toBeLessThan(trace.count);
  });
});
