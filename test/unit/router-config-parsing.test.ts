import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTER_CONFIG, parseRouterConfig } from "../../src/sim/router/router-config.js";
import { InputError } from "../../src/util/errors.js";

describe("router config: snake_case keys of docs/replay.md#router-config merged over the defaults, unknown keys rejected", () => {
  it("has the reference defaults", () => {
    expect(parseRouterConfig(undefined, "cfg.json")).toEqual({
      overlap_score_weight: 1.0,
      router_temperature: 0.0,
      router_track_active_blocks: true,
      router_assume_kv_reuse: true,
      router_track_prefill_tokens: true,
      router_prefill_load_model: null,
      router_queue_threshold: 4.0,
      router_queue_policy: "fcfs",
      router_track_output_blocks: false,
      kv_host_overlap_weight: 1.0,
      kv_disk_overlap_weight: 0.5,
    });
    expect(parseRouterConfig({}, "cfg.json")).toEqual(DEFAULT_ROUTER_CONFIG);
  });

  it("merges a partial config", () => {
    const c = parseRouterConfig(
      { router_temperature: 0.5, router_queue_threshold: null, router_queue_policy: "wspt" },
      "x",
    );
    expect(c.router_temperature).toBe(0.5);
    expect(c.router_queue_threshold).toBeNull();
    expect(c.router_queue_policy).toBe("wspt");
    expect(c.overlap_score_weight).toBe(1.0);
    expect(
      parseRouterConfig({ router_prefill_load_model: "none" }, "x").router_prefill_load_model,
    ).toBeNull();
  });

  it("rejects an unknown key with a one-line error naming it", () => {
    const parse = () => parseRouterConfig({ overlap_weight: 2 }, "router.json");
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(
      /^router\.json: field "overlap_weight": unknown field \(allowed: overlap_score_weight, /,
    );
  });

  it('rejects the "aic" prefill load model as unsupported', () => {
    expect(() => parseRouterConfig({ router_prefill_load_model: "aic" }, "r.json")).toThrow(
      'r.json: field "router_prefill_load_model": "aic" (prefill-duration estimator) is not supported in kvsim; use null',
    );
  });

  it("rejects bad values naming the field", () => {
    expect(() => parseRouterConfig({ router_temperature: -1 }, "r")).toThrow(
      'r: field "router_temperature": must be',
    );
    expect(() => parseRouterConfig({ overlap_score_weight: "1" }, "r")).toThrow(
      'r: field "overlap_score_weight"',
    );
    expect(() => parseRouterConfig({ router_queue_policy: "fifo" }, "r")).toThrow(
      'r: field "router_queue_policy": must be "fcfs", "lcfs" or "wspt"',
    );
    expect(() => parseRouterConfig({ router_track_active_blocks: 1 }, "r")).toThrow("must be true or false");
    expect(() =>
      parseRouterConfig({ router_track_output_blocks: true, router_track_active_blocks: false }, "r"),
    ).toThrow('r: field "router_track_output_blocks": true requires router_track_active_blocks = true');
    expect(() => parseRouterConfig([1], "r")).toThrow("r: router config must be a JSON object");
  });
});
