import { describe, expect, it } from "vitest";
import { parseEngineArgs } from "../../src/sim/engine/engine-args.js";
import { parseRouterConfig, QUEUE_POLICIES } from "../../src/sim/router/router-config.js";
import { quotedChoices } from "../../src/util/errors.js";

// The router config's router_queue_policy and the engine args' override of it accept one list of policies.
describe("queue policies: one list for the router config and the engine args", () => {
  it("is fcfs, lcfs and wspt", () => {
    expect(QUEUE_POLICIES).toEqual(["fcfs", "lcfs", "wspt"]);
  });

  it("both accept every policy", () => {
    for (const policy of ["fcfs", "lcfs", "wspt"]) {
      expect(parseRouterConfig({ router_queue_policy: policy }, "rc").router_queue_policy).toBe(policy);
      expect(parseEngineArgs({ router_queue_policy: policy }, "ea").router_queue_policy).toBe(policy);
    }
  });

  it("both refuse anything else, each with its own message shape", () => {
    expect(() => parseRouterConfig({ router_queue_policy: "sjf" }, "rc")).toThrow(
      'rc: field "router_queue_policy": must be "fcfs", "lcfs" or "wspt"',
    );
    expect(() => parseEngineArgs({ router_queue_policy: "sjf" }, "ea")).toThrow(
      'ea: field "router_queue_policy": must be one of "fcfs", "lcfs", "wspt" (got "sjf")',
    );
  });
});

describe("quotedChoices", () => {
  it('joins quoted values with commas and a final "or"', () => {
    expect(quotedChoices([])).toBe("");
    expect(quotedChoices(["a"])).toBe('"a"');
    expect(quotedChoices(["a", "b"])).toBe('"a" or "b"');
    expect(quotedChoices(["a", "b", "c"])).toBe('"a", "b" or "c"');
  });
});
