import { describe, expect, it } from "vitest";
import { KvEventKind, KvEventLog } from "../../src/sim/engine/kv-event-log.js";

describe("KV event log", () => {
  it("lays events out as flat columns, merges consecutive removals and grows past its capacity", () => {
    const log = new KvEventLog(1, 1);
    log.pushStored(Number.NaN, [5, 6, 7, 8], 1, 3);
    log.pushRemoved(9);
    log.pushRemoved(10);
    log.pushStored(6, [11], 0, 1);
    log.pushRemoved(12);
    expect(log.count).toBe(4);
    expect(Array.from(log.kind.subarray(0, 4))).toEqual([
      KvEventKind.Stored,
      KvEventKind.Removed,
      KvEventKind.Stored,
      KvEventKind.Removed,
    ]);
    expect(Number.isNaN(log.parentHash[0])).toBe(true);
    expect(log.parentHash[2]).toBe(6);
    expect([0, 1, 2, 3].map((e) => log.eventHashes(e))).toEqual([[6, 7], [9, 10], [11], [12]]);
    expect(Array.from(log.hashStart.subarray(0, 4))).toEqual([0, 2, 4, 5]);
    expect(log.hashTotal).toBe(6);
    log.reset();
    expect([log.count, log.hashTotal]).toEqual([0, 0]);
    log.pushStored(1, [2], 0, 0); // empty range: no event
    expect(log.count).toBe(0);
  });
});
