import { describe, expect, it } from "vitest";
import { snakeCase, snakeCasedKeys } from "../../src/util/snake-case.js";

describe("snake_case keys for result files", () => {
  it("starts a new lower-case word at every upper-case letter; digits stay attached", () => {
    expect(snakeCase("timestampS")).toBe("timestamp_s");
    expect(snakeCase("observedTtftMs")).toBe("observed_ttft_ms");
    expect(snakeCase("ttftP99Ms")).toBe("ttft_p99_ms");
    expect(snakeCase("plain")).toBe("plain");
  });

  it("converts nested plain objects and arrays, keeps key order and leaves values alone", () => {
    const out = snakeCasedKeys({
      zLast: 1,
      aFirst: null,
      reasonText: "scale_up",
      engines: [{ workerId: "w0", dpRank: 0 }],
    });
    expect(JSON.stringify(out)).toBe(
      '{"z_last":1,"a_first":null,"reason_text":"scale_up","engines":[{"worker_id":"w0","dp_rank":0}]}',
    );
  });
});
