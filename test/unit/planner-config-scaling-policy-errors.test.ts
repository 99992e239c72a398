import { describe, expect, it } from "vitest";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { InputError } from "../../src/util/errors.js";

function errorOf(raw: unknown): string {
  try {
    parsePlannerConfig(raw, { source: "planner.yaml" });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
}

const SLA = { optimization_target: "sla" };

describe("scaling policy keys: one line naming the file and the field", () => {
  it("rejects an unknown policy, listing the three", () => {
    expect(errorOf({ ...SLA, scaling_policy: "greedy" })).toBe(
      'planner.yaml: field "scaling_policy": must be one of dynamo|kvsim|hindsight (got "greedy")',
    );
  });

  it("rejects a hindsight window that is not positive", () => {
    expect(errorOf({ ...SLA, hindsight_window: 0 })).toBe(
      'planner.yaml: field "hindsight_window": must be in (0, 1000000] (or null for the load interval) (got 0)',
    );
    expect(errorOf({ ...SLA, hindsight_window: -5 })).toContain(
      '"hindsight_window": must be in (0, 1000000]',
    );
  });

  it("rejects an attainment target outside (0, 1]", () => {
    expect(errorOf({ ...SLA, sla_attainment_target: 0 })).toBe(
      'planner.yaml: field "sla_attainment_target": must be in (0, 1] (got 0)',
    );
    expect(errorOf({ ...SLA, sla_attainment_target: 1.01 })).toContain(
      '"sla_attainment_target": must be in (0, 1]',
    );
    expect(parsePlannerConfig({ ...SLA, sla_attainment_target: 1 }).slaAttainmentTarget).toBe(1);
  });

  it("rejects kvsim and hindsight without SLA targets to size against", () => {
    expect(errorOf({ scaling_policy: "kvsim" })).toBe(
      'planner.yaml: field "scaling_policy": "kvsim" sizes pools against the ttft/itl SLAs: it needs optimization_target "sla" (got "throughput")',
    );
    expect(errorOf({ scaling_policy: "hindsight", optimization_target: "latency" })).toContain(
      'needs optimization_target "sla" (got "latency")',
    );
  });

  it("defaults to the reference policy with the documented kvsim defaults", () => {
    const c = parsePlannerConfig({});
    expect([
      c.scalingPolicy,
      c.slaAttainmentTarget,
      c.hindsightWindowS,
      c.scaleDownCooldownS,
      c.slaHeadroom,
    ]).toEqual(["dynamo", 0.95, null, 120, 0.9]);
  });
});
