import { describe, expect, it } from "vitest";
import { tinyCluster } from "../support/cluster-kit.js";

describe("cluster liveness and determinism", () => {
  it("a request that can never fit the KV cache is a clear error naming it, not a hang", () => {
    // 4 blocks of 64 tokens cannot hold a 320-token prompt (5 blocks).
    const sim = tinyCluster([{ isl: 320, osl: 2, hashIds: [1, 2, 3, 4, 5] }], {
      engineArgs: { num_gpu_blocks: 4 },
    });
    expect(() => sim.run()).toThrow(
      /request 0 needs 6 KV blocks .* but the engine has 4; it could never complete/,
    );
  });

  it("the same seed gives the same random routing; another seed gives another", () => {
    const requests = Array.from({ length: 40 }, (_, i) => ({
      isl: 64,
      osl: 3,
      hashIds: [i + 1],
      arrivalMs: i,
    }));
    const assign = (seed: number) => {
      const sim = tinyCluster(requests, { numWorkers: 4, routerMode: "random", seed });
      sim.run();
      return Array.from(sim.collector.workerId);
    };
    expect(assign(7)).toEqual(assign(7));
    expect(assign(7)).not.toEqual(assign(8));
  });
});
