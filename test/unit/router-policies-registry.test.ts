import { describe, expect, it } from "vitest";
import { sweepGridFromObject } from "../../src/parallel/sweep/grid.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import {
  parseRouterMode,
  ROUTER_MODE_RULE,
  ROUTER_MODES,
  ROUTER_POLICIES,
  routerPolicy,
} from "../../src/sim/router/router-policies.js";
import { tinyCluster } from "../support/cluster-kit.js";

// One registry of router policies: `--router-mode`, the sweep grid's `router_modes` and the cluster's routers
// all take their names and behaviour from it.
describe("router policy registry", () => {
  // The public choice list, pinned (a new policy updates this line, and sweep-cli.test.ts's error line).
  it("lists kv, round_robin and random, in that order, and states them in one rule", () => {
    expect(ROUTER_MODES).toEqual(["kv", "round_robin", "random"]);
    expect(ROUTER_MODE_RULE).toBe('must be "kv", "round_robin" or "random"');
  });

  it("--router-mode and the grid's router_modes accept every registered name", () => {
    for (const { name } of ROUTER_POLICIES) {
      expect(resolveClusterOptions({ routerMode: name }, 64).routerMode).toBe(name);
      expect(sweepGridFromObject({ router_modes: [name] }).routerModes.map((m) => m.value)).toEqual([name]);
    }
  });

  it("kv_router is the reference's name for kv (--router-mode only)", () => {
    expect(parseRouterMode("kv_router", "--router-mode")).toBe("kv");
    expect(resolveClusterOptions({ routerMode: "kv_router" }, 64).routerMode).toBe("kv");
  });

  it("refuses any other name with the same rule in both places", () => {
    expect(() => resolveClusterOptions({ routerMode: "fastest" }, 64)).toThrow(
      `--router-mode: ${ROUTER_MODE_RULE} (got "fastest")`,
    );
    expect(() => sweepGridFromObject({ router_modes: ["kv", "fastest"] })).toThrow(
      `grid: field "router_modes[1]": ${ROUTER_MODE_RULE} (got "fastest")`,
    );
  });

  // A (2 blocks) then B (3 blocks, A's 2 first): a policy with a prefix index records an overlap for each of the
  // two admissions (0/2 and 2/3 under kv); the others record none, so the planner sees no hit rate from them.
  it("only a policy that keeps a prefix index feeds the traffic window's hit rate", () => {
    const requests = [
      { isl: 128, osl: 2, hashIds: [1, 2], arrivalMs: 0 },
      { isl: 192, osl: 2, hashIds: [1, 2, 3], arrivalMs: 1000 },
    ];
    const admissionsSeen = (mode: string): number => {
      const sim = tinyCluster(requests, { numWorkers: 2, routerMode: mode });
      sim.run();
      return sim.drainTraffic().hitRateCount;
    };
    expect(routerPolicy("kv").usesPrefixIndex).toBe(true);
    expect(admissionsSeen("kv")).toBe(2);
    for (const p of ROUTER_POLICIES.filter((q) => !q.usesPrefixIndex))
      expect([p.name, admissionsSeen(p.name)]).toEqual([p.name, 0]);
  });
});
