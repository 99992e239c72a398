import { describe, expect, it } from "vitest";
import { easyAggDecision, easyDecodeDecision, easyPrefillDecision } from "../../src/planner/easy-mode.js";
import type { PlannerState } from "../../src/planner/planner-state.js";
import type { FpmMap } from "../../src/planner/types.js";
import { fpm, fpmMap, state } from "../support/planner-kit.js";

const CAPS = { prefill: { contextLength: 1000 }, decode: { maxKvTokens: 10_000 } };

type Decide = (s: PlannerState, fpms: FpmMap, n: number) => number | null;

function run(target: string, decide: Decide, fpms: FpmMap, n: number, minEndpoint = 1) {
  const s = state({ optimization_target: target, min_endpoint: minEndpoint }, CAPS);
  return { out: decide(s, fpms, n), reason: s.diag.loadDecisionReason };
}

describe("easy-mode thresholds (docs/planner.md#easy-mode)", () => {
  it("prefill/throughput: ANY queued/context ≥ 1.0 scales up (inclusive), ALL < 0.1 scales down", () => {
    // 1000/1000 = 1.0 ≥ 1.0 → up
    expect(
      run("throughput", easyPrefillDecision, fpmMap(fpm("a", { queuedPrefillTokens: 1000 }), fpm("b")), 2)
        .out,
    ).toBe(3);
    // 999/1000 = 0.999 and 0 → neither
    expect(
      run("throughput", easyPrefillDecision, fpmMap(fpm("a", { queuedPrefillTokens: 999 }), fpm("b")), 2),
    ).toEqual({
      out: null,
      reason: "no_change",
    });
    // 99/1000 = 0.099 < 0.1 for all → down; 100/1000 = 0.1 is not below
    expect(
      run("throughput", easyPrefillDecision, fpmMap(fpm("a", { queuedPrefillTokens: 99 }), fpm("b")), 2).out,
    ).toBe(1);
    expect(
      run("throughput", easyPrefillDecision, fpmMap(fpm("a", { queuedPrefillTokens: 100 }), fpm("b")), 2).out,
    ).toBeNull();
  });

  it("prefill/latency: ANY ≥ 0.1 scales up; only all-empty queues (≤ 0) scale down", () => {
    expect(
      run("latency", easyPrefillDecision, fpmMap(fpm("a", { queuedPrefillTokens: 100 }), fpm("b")), 2).out,
    ).toBe(3);
    expect(
      run("latency", easyPrefillDecision, fpmMap(fpm("a", { queuedPrefillTokens: 1 }), fpm("b")), 2).out,
    ).toBeNull();
    expect(run("latency", easyPrefillDecision, fpmMap(fpm("a"), fpm("b")), 2).out).toBe(1);
  });

  it("decode/throughput: ANY (scheduled + queued KV)/capacity > 1.0 strictly scales up, ALL < 0.6 scales down", () => {
    // (9000 + 1000)/10000 = 1.0 is not > 1.0; 5000/10000 = 0.5 < 0.6 but not all are → no change
    const atOne = fpmMap(
      fpm("a", { schedDecodeKv: 9000, queuedDecodeKv: 1000 }),
      fpm("b", { schedDecodeKv: 5000 }),
    );
    expect(run("throughput", easyDecodeDecision, atOne, 2)).toEqual({ out: null, reason: "no_change" });
    const over = fpmMap(fpm("a", { schedDecodeKv: 9000, queuedDecodeKv: 1001 }), fpm("b"));
    expect(run("throughput", easyDecodeDecision, over, 2).out).toBe(3);
    const low = fpmMap(fpm("a", { schedDecodeKv: 5999 }), fpm("b", { schedDecodeKv: 100 }));
    expect(run("throughput", easyDecodeDecision, low, 2).out).toBe(1);
  });

  it("decode/latency: ANY > 0.4 scales up, ALL < 0.1 scales down", () => {
    expect(run("latency", easyDecodeDecision, fpmMap(fpm("a", { schedDecodeKv: 4000 })), 1).out).toBeNull(); // 0.4
    expect(run("latency", easyDecodeDecision, fpmMap(fpm("a", { schedDecodeKv: 4001 })), 1).out).toBe(2);
    expect(
      run("latency", easyDecodeDecision, fpmMap(fpm("a", { schedDecodeKv: 999 }), fpm("b")), 2).out,
    ).toBe(1);
  });

  it("agg counts queued prompt tokens against the KV capacity as well", () => {
    // (6000 + 1000 + 3001)/10000 = 1.0001 > 1.0 → up; without the queued prompts it would be 0.7 → no change
    const f = fpmMap(fpm("a", { schedDecodeKv: 6000, queuedDecodeKv: 1000, queuedPrefillTokens: 3001 }));
    expect(run("throughput", easyAggDecision, f, 1).out).toBe(2);
    expect(run("throughput", easyDecodeDecision, f, 1).out).toBeNull();
  });

  it("scale-down never goes below min_endpoint", () => {
    expect(run("throughput", easyDecodeDecision, fpmMap(fpm("a"), fpm("b"), fpm("c")), 3, 3).out).toBe(3);
  });

  it("missing capability, zero workers or no engines → insufficient_data", () => {
    const s = state({ optimization_target: "throughput" }, {});
    expect(easyDecodeDecision(s, fpmMap(fpm("a")), 1)).toBeNull();
    expect(s.diag.loadDecisionReason).toBe("insufficient_data");
    expect(run("throughput", easyDecodeDecision, fpmMap(fpm("a")), 0)).toEqual({
      out: null,
      reason: "insufficient_data",
    });
    expect(run("throughput", easyDecodeDecision, fpmMap(), 2)).toEqual({
      out: null,
      reason: "insufficient_data",
    });
  });
});
