import { describe, expect, it } from "vitest";
import { parseRouterConfig } from "../../src/sim/router/router-config.js";
import { InputError } from "../../src/util/errors.js";

describe("router config: kv_host_overlap_weight and kv_disk_overlap_weight are numbers in [0, 1]", () => {
  it("defaults to 1 (host) and 0.5 (disk) and takes any value in [0, 1]", () => {
    const d = parseRouterConfig({}, "r.json");
    expect(d.kv_host_overlap_weight).toBe(1);
    expect(d.kv_disk_overlap_weight).toBe(0.5);
    const c = parseRouterConfig({ kv_host_overlap_weight: 0, kv_disk_overlap_weight: 1 }, "r.json");
    expect(c.kv_host_overlap_weight).toBe(0);
    expect(c.kv_disk_overlap_weight).toBe(1);
  });

  it.each([
    ["kv_host_overlap_weight", -0.1],
    ["kv_host_overlap_weight", 1.5],
    ["kv_disk_overlap_weight", Number.NaN],
    ["kv_disk_overlap_weight", "0.5"],
    ["kv_disk_overlap_weight", Number.POSITIVE_INFINITY],
  ])("rejects %s = %s with one line naming the field", (field, value) => {
    const parse = () => parseRouterConfig({ [field]: value }, "r.json");
    expect(parse).toThrow(InputError);
    try {
      parse();
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toMatch(new RegExp(`^r\\.json: field "${field}": must be a number in \\[0, 1\\]`));
      expect(message).not.toContain("\n");
    }
  });
});
