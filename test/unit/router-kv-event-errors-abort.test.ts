import { describe, expect, it } from "vitest";
import { KvEventLog } from "../../src/sim/engine/kv-event-log.js";
import { KvIndexError } from "../../src/sim/router/prefix-index.js";
import { makeRequests, makeRouter, removedEvent, storedEvent } from "../support/router-kit.js";

describe("KV events the index cannot apply abort with a clear error (docs/design.md#prefix-index)", () => {
  const requests = makeRequests([{ isl: 64, ids: [1, 2, 3, 4] }], 16);
  const hashes = requests.blockHashes(0);

  it("Stored under a parent the worker does not hold is ParentBlockNotFound", () => {
    const router = makeRouter(requests);
    router.applyKvEvents(0, storedEvent(hashes, 0, 2));
    // Worker 1 never stored block 1, so it cannot store block 2 under it.
    const apply = () => router.applyKvEvents(1, storedEvent(hashes, 2, 4));
    expect(apply).toThrow(KvIndexError);
    expect(apply).toThrow(
      `worker 1: Stored event under parent block ${hashes[1]} that the worker does not hold (ParentBlockNotFound)`,
    );
  });

  it("Removed of a block the worker does not hold is BlockNotFound", () => {
    const router = makeRouter(requests);
    router.applyKvEvents(0, storedEvent(hashes, 0, 2));
    expect(() => router.applyKvEvents(0, removedEvent(hashes[2] as number))).toThrow(
      `worker 0: Removed event for block ${hashes[2]} that the worker does not hold (BlockNotFound)`,
    );
  });

  it("a block stored as its own child is a self-referencing chain", () => {
    const router = makeRouter(requests);
    router.applyKvEvents(0, storedEvent(hashes, 0, 1));
    const log = new KvEventLog();
    log.pushStored(hashes[0] as number, hashes, 0, 1);
    expect(() => router.applyKvEvents(0, log)).toThrow("self-referencing chain");
  });

  it("events in order within a batch apply (store, evict, store again)", () => {
    const router = makeRouter(requests);
    const log = new KvEventLog();
    log.pushStored(Number.NaN, hashes, 0, 3);
    log.pushRemoved(hashes[2] as number);
    log.pushStored(hashes[1] as number, hashes, 2, 4);
    router.applyKvEvents(0, log);
    expect(router.index.treeSize(0)).toBe(4);
  });
});
