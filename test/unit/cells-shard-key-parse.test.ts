import { describe, expect, it } from "vitest";
import { defaultShardKey, formatShardKey, parseShardKey } from "../../src/parallel/cells/shard-key.js";
import { isInputError } from "../../src/util/errors.js";

function errorOf(text: string): string {
  try {
    parseShardKey(text);
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`"${text}" parsed`);
}

describe("--shard-key parsing", () => {
  it("reads session, hash and block:D, and formats them back", () => {
    expect(parseShardKey("session")).toEqual({ kind: "session" });
    expect(parseShardKey("hash")).toEqual({ kind: "hash" });
    expect(parseShardKey("block:3")).toEqual({ kind: "block", depthBlocks: 3 });
    for (const text of ["session", "hash", "block:1", "block:12"])
      expect(formatShardKey(parseShardKey(text))).toBe(text);
  });

  it("rejects anything else with a one-line input error naming the flag and the value", () => {
    for (const bad of ["", "block", "block:0", "block:-1", "block:1.5", "sessions", "block:x"]) {
      const message = errorOf(bad);
      expect(message).toBe(
        `--shard-key: must be "session", "hash" or "block:D" with D an integer >= 1 (got "${bad}")`,
      );
    }
  });

  it("defaults to session on traces with session ids and to block:2 without (Mooncake: every request shares block 0)", () => {
    expect(defaultShardKey({ sessionNames: ["a", "b"] })).toEqual({ kind: "session" });
    expect(defaultShardKey({ sessionNames: [] })).toEqual({ kind: "block", depthBlocks: 2 });
  });
});
