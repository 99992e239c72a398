import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { findEngineInvariantViolation } from "../../src/sim/engine/engine-invariants.js";
import { PassResult } from "../../src/sim/engine/pass-result.js";
import { PolynomialPassTimeModel } from "../../src/sim/engine/pass-time-polynomial.js";
import { VllmScheduler } from "../../src/sim/engine/scheduler.js";
import { RequestTable } from "../../src/sim/request-table.js";
import { tinyTrace } from "../oracles/tiny-trace.js";

// The debug checker must actually catch broken states (otherwise the invariant properties could not fail).
function runningEngine(): VllmScheduler {
  const args = parseEngineArgs({ block_size: 16, num_gpu_blocks: 8 }, "t");
  const trace = tinyTrace([{ isl: 40, osl: 10, hashIds: [1, 2, 3] }], 16);
  const s = new VllmScheduler("aggregated", args, new PolynomialPassTimeModel(), new RequestTable(trace, 16));
  s.enqueue(0);
  s.executePass(0, new PassResult());
  return s;
}

describe("engine invariant checker", () => {
  it("accepts a healthy engine", () => {
    expect(findEngineInvariantViolation(runningEngine())).toBeNull();
  });

  it("reports a running request whose block was released behind its back", () => {
    const s = runningEngine();
    const keys = s.slots.keys[s.running.items[0] as number] as Float64Array;
    s.pool.deref(keys, 0, 1);
    expect(findEngineInvariantViolation(s)).toMatch(/request 0: block 0 \(\d+\) is not allocated/);
  });

  it("reports a reference no sequence holds", () => {
    const s = runningEngine();
    const keys = s.slots.keys[s.running.items[0] as number] as Float64Array;
    s.pool.use(keys, 0, 1, Number.NaN);
    expect(findEngineInvariantViolation(s)).toBe("pool holds 4 references but sequences hold 3 blocks");
  });

  it("reports a request claiming more computed tokens than its blocks hold", () => {
    const s = runningEngine();
    s.slots.held[s.running.items[0] as number] = 1;
    expect(findEngineInvariantViolation(s)).toBe("request 0 computed 40 tokens with only 1 blocks");
  });
});
