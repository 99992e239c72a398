// The check behind the test run's teardown: which new entries in the system temp dir count as left behind.

import { describe, expect, it } from "vitest";
import { deadRunDirs, runDirOwner, runDirPrefix, strayEntries } from "../support/temp-dir-kit.js";

const OWN_PID = 4100;
const OTHER_LIVE_PID = 4200;
const DEAD_PID = 4300;
const alive = (pid: number): boolean => pid === OWN_PID || pid === OTHER_LIVE_PID;

describe("test run temp dir check", () => {
  it("a run dir name carries its owner's pid; other names have none", () => {
    expect(runDirOwner(`${runDirPrefix(4100)}aB3xYz`)).toBe(4100);
    expect(runDirOwner("kvsim-test-x-aB3xYz")).toBeNull();
    expect(runDirOwner("kvsim-replay-aB3xYz")).toBeNull();
    expect(runDirOwner("chromium")).toBeNull();
  });

  it("entries present before the run never count, whatever their name", () => {
    const before = new Set(["kvsim-replay-old", "chromium", `${runDirPrefix(DEAD_PID)}q`]);
    expect(strayEntries(before, [...before], OWN_PID, alive)).toEqual([]);
  });

  it("every new entry counts, including this run's own dir if it was not removed", () => {
    const after = ["kvsim-replay-Ab12", "playwright-artifacts-x", `${runDirPrefix(OWN_PID)}r`, "chromium"];
    expect(strayEntries(new Set(), after, OWN_PID, alive)).toEqual([
      "chromium",
      "kvsim-replay-Ab12",
      `${runDirPrefix(OWN_PID)}r`,
      "playwright-artifacts-x",
    ]);
  });

  it("a concurrent live run's dir does not count; a dead run's dir created meanwhile does", () => {
    const after = [`${runDirPrefix(OTHER_LIVE_PID)}s`, `${runDirPrefix(DEAD_PID)}t`];
    expect(strayEntries(new Set(), after, OWN_PID, alive)).toEqual([`${runDirPrefix(DEAD_PID)}t`]);
  });

  it("only run dirs of processes that are gone are removed before a run", () => {
    const names = [`${runDirPrefix(DEAD_PID)}a`, `${runDirPrefix(OTHER_LIVE_PID)}b`, "kvsim-replay-c", "x"];
    expect(deadRunDirs(names, alive)).toEqual([`${runDirPrefix(DEAD_PID)}a`]);
  });
});
