import { describe, expect, it } from "vitest";
import { enginesFor, runScenario } from "../support/engine-kit.js";

// When a generated token starts a new block (len % bs == 1), the previous partial block is promoted to a full
// block (docs/design.md#kv-block-pool) with a unique negative id from the engine's counter (−1, −2, …) and
// published as a one-block Stored event under its predecessor; the prompt's own partial block is never
// published before that. Block size 16. R0: isl 20 (1 full block + 4 tokens), osl 30. Token j is generated at
// length 20 + j − 1:
//   token 13 at length 32 → block 1 (4 prompt + 12 generated tokens) becomes −1, parent = prompt block 0
//   token 29 at length 48 → block 2 becomes −2, parent −1.
// R1 @ after R0: isl 16 (one full block, no partial), osl 18: its first token starts block 1 at once (nothing
// to promote); token 17 at length 32 promotes block 1 → −3 under the prompt block.
describe.each(["fast", "reference"] as const)("generated full blocks (%s engine)", (name) => {
  it("promote partial blocks to negative ids and publish them one at a time", () => {
    const s = {
      requests: [
        { isl: 20, osl: 30, hashIds: [1, 2], arrivalMs: 0 },
        { isl: 16, osl: 18, hashIds: [5], arrivalMs: 1000 },
      ],
    };
    const e = enginesFor(s).find((x) => x.name === name)!;
    const out = runScenario(s, e);
    const h0 = e.requests.materialize(0)[0] as number;
    const g0 = e.requests.materialize(1)[0] as number;
    const eventPasses = out.passes.flatMap((p, i) => (p.events.length > 0 ? [[i + 1, p.events]] : []));
    expect(eventPasses).toEqual([
      [1, [{ kind: "stored", parent: null, hashes: [h0] }]],
      [13, [{ kind: "stored", parent: h0, hashes: [-1] }]],
      [29, [{ kind: "stored", parent: -1, hashes: [-2] }]],
      [31, [{ kind: "stored", parent: null, hashes: [g0] }]],
      [47, [{ kind: "stored", parent: g0, hashes: [-3] }]],
    ]);
  });
});
