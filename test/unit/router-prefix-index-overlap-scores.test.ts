import { describe, expect, it } from "vitest";
import { PrefixIndex } from "../../src/sim/router/prefix-index.js";
import { ReferenceRadixTree } from "../oracles/reference-router.js";

/** Scores as a worker → overlap-blocks object, plus tree sizes, after findMatches(hashes). */
function match(
  index: PrefixIndex,
  hashes: number[],
): { scores: Record<number, number>; trees: Record<number, number> } {
  index.findMatches(hashes, hashes.length);
  const scores: Record<number, number> = {};
  const trees: Record<number, number> = {};
  for (let i = 0; i < index.scoredCount; i++) {
    scores[index.scoredWorker[i] as number] = index.scoredBlocks[i] as number;
    trees[index.scoredWorker[i] as number] = index.scoredTreeSize[i] as number;
  }
  return { scores, trees };
}

describe("prefix index: overlap score = leading prompt blocks matched per worker (docs/design.md#prefix-index)", () => {
  it("scores each worker by the depth at which it drops out of the candidate set", () => {
    const index = new PrefixIndex();
    index.store(0, Number.NaN, [1, 2, 3, 4], 0, 4);
    index.store(1, Number.NaN, [1, 2], 0, 2);
    index.store(2, Number.NaN, [1, 2, 3], 0, 3);
    // Walk [1,2,3,4,9]: block 1 {0,1,2} → depth 1; block 2 {0,1,2} → depth 2; block 3 {0,2}: worker 1 drops
    // with 2 → depth 3; block 4 {0}: worker 2 drops with 3 → depth 4; block 9 missing: worker 0 scores 4.
    expect(match(index, [1, 2, 3, 4, 9])).toEqual({
      scores: { 0: 4, 1: 2, 2: 3 },
      trees: { 0: 4, 1: 2, 2: 3 },
    });
    // Only the first block matches: everyone holding it scores 1.
    expect(match(index, [1, 7]).scores).toEqual({ 0: 1, 1: 1, 2: 1 });
    // Nothing matches: no worker has a score.
    expect(match(index, [7, 1]).scores).toEqual({});
  });

  it("narrows the candidates only at a child holding fewer workers (docs/design.md#prefix-index)", () => {
    const index = new PrefixIndex();
    index.store(0, Number.NaN, [1, 2, 3], 0, 3);
    index.store(1, Number.NaN, [1, 2], 0, 2);
    // Worker 2 holds block 2 but not block 1: it stored [1, 2] and then evicted block 1.
    index.store(2, Number.NaN, [1, 2], 0, 2);
    index.remove(2, 1);
    index.remove(1, 2);
    // Now block 1 = {0, 1}, block 2 = {0, 2}, block 3 = {0}.
    // Walk [1,2,3]: block 1 → candidates {0,1}, depth 1; block 2 holds 2 workers, not fewer than 2 candidates,
    // so no narrowing (worker 1 stays although it lacks block 2), depth 2; block 3 holds 1 < 2: worker 1 drops
    // with 2; worker 0 survives with 3. Worker 2 was never a candidate.
    expect(match(index, [1, 2, 3]).scores).toEqual({ 0: 3, 1: 2 });
  });

  it("a Removed that empties a node detaches its children until the chain is stored again", () => {
    const index = new PrefixIndex();
    index.store(0, Number.NaN, [1, 2, 3], 0, 3);
    index.store(1, Number.NaN, [1, 2, 3], 0, 3);
    index.remove(0, 2);
    index.remove(1, 2);
    // Block 2 is empty: its child 3 is unlinked, though both workers still hold block 3 (tree size 2 each).
    // Walk [1,2,3]: block 1 {0,1} → depth 1; block 2 holds 0 < 2 workers: both drop with 1.
    expect(match(index, [1, 2, 3])).toEqual({ scores: { 0: 1, 1: 1 }, trees: { 0: 2, 1: 2 } });
    // Worker 0 stores block 2 again (the emptied node stayed under block 1), then block 3 under it: its lookup
    // still holds the detached block-3 node (with workers {0,1}), which is linked back.
    index.store(0, 1, [2], 0, 1);
    index.store(0, 2, [3], 0, 1);
    // Walk: block 1 {0,1} depth 1; block 2 {0} 1 < 2: worker 1 drops with 1; block 3 {0,1}: no narrowing, depth 3.
    expect(match(index, [1, 2, 3]).scores).toEqual({ 0: 3, 1: 1 });
  });

  it("frees nodes nothing references once every worker evicted them", () => {
    const index = new PrefixIndex();
    index.store(0, Number.NaN, [1, 2, 3], 0, 3);
    index.store(1, Number.NaN, [1, 5], 0, 2);
    expect(index.nodeCount).toBe(4); // blocks 1, 2, 3, 5
    for (const h of [3, 2, 1]) index.remove(0, h);
    for (const h of [5, 1]) index.remove(1, h);
    // Block 1 stays as an empty child of the root (as in the reference tree); its subtree is gone.
    expect(index.nodeCount).toBe(1);
    expect(index.treeSize(0) + index.treeSize(1)).toBe(0);
    expect(match(index, [1, 2, 3]).scores).toEqual({});
  });

  it("a worker re-storing a block it holds under another node stays a member of the old node", () => {
    const index = new PrefixIndex();
    const ref = new ReferenceRadixTree();
    const store = (w: number, parent: number, hashes: number[]) => {
      index.store(w, parent, hashes, 0, hashes.length);
      ref.stored(w, Number.isNaN(parent) ? null : parent, hashes);
    };
    const remove = (w: number, h: number) => {
      index.remove(w, h);
      ref.removed(w, h);
    };
    store(0, Number.NaN, [1, 2, 3]);
    store(1, Number.NaN, [1, 2, 3]);
    remove(0, 2);
    remove(1, 2); // block 2 empty → old block-3 node detached, held by workers 0 and 1
    store(2, Number.NaN, [1, 2, 3]); // a new block-3 node under block 2
    store(1, 1, [2, 3]); // worker 1 moves to the new node but stays in the old one's worker set
    remove(2, 2);
    remove(1, 2); // block 2 empty again → the new block-3 node is detached
    store(0, 1, [2]);
    store(0, 2, [3]); // worker 0's lookup re-links the old node: its workers are {0, 1}
    store(1, 1, [2]);
    // Walk [1,2,3]: block 1 {0,1,2} depth 1; block 2 {0,1}: worker 2 drops with 1; old block 3 holds 2 workers,
    // not fewer than the 2 candidates → depth 3 for workers 0 and 1.
    const expected = { scores: { 0: 3, 1: 3, 2: 1 }, trees: { 0: 3, 1: 3, 2: 2 } };
    expect(match(index, [1, 2, 3])).toEqual(expected);
    const oracle = ref.findMatches([1, 2, 3]);
    expect(Object.fromEntries(oracle.scores)).toEqual(expected.scores);
    expect(Object.fromEntries(oracle.treeSizes)).toEqual(expected.trees);
  });
});
