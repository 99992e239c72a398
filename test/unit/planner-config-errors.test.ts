import { describe, expect, it } from "vitest";
import { MAX_MIN_ENDPOINT, parsePlannerConfig } from "../../src/planner/config.js";
import { MAX_POOL_WORKERS } from "../../src/sim/cluster/cluster-limits.js";
import { InputError } from "../../src/util/errors.js";

function errorOf(raw: unknown): string {
  try {
    parsePlannerConfig(raw, { source: "planner.yaml" });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("planner config validation errors name the field and the rule", () => {
  it("rejects a bucket count that is not a perfect square", () => {
    expect(errorOf({ fpm_sample_bucket_size: 10 })).toBe(
      'planner.yaml: field "fpm_sample_bucket_size": must be a perfect square (got 10)',
    );
    expect(() => parsePlannerConfig({ fpm_sample_bucket_size: 9 })).not.toThrow();
  });

  it("rejects negative or zero intervals", () => {
    expect(errorOf({ load_adjustment_interval: -5 })).toBe(
      'planner.yaml: field "load_adjustment_interval": must be an integer in 1..1000000 (got -5)',
    );
    expect(errorOf({ throughput_adjustment_interval: 0 })).toContain(
      '"throughput_adjustment_interval": must be an integer in 1..1000000',
    );
  });

  it("rejects an unknown predictor, listing the valid ones", () => {
    expect(errorOf({ load_predictor: "lstm" })).toBe(
      'planner.yaml: field "load_predictor": must be one of constant|arima|kalman|holt|prophet (got "lstm")',
    );
  });

  it("rejects unknown keys by name, suggesting the closest field", () => {
    expect(errorOf({ ttft_ms: 300 })).toBe(
      'planner.yaml: field "ttft_ms": unknown field (did you mean "ttft"?)',
    );
    expect(errorOf({ completely_unrelated_key: 1 })).toBe(
      'planner.yaml: field "completely_unrelated_key": unknown field',
    );
  });

  it("rejects wrong types and non-integers", () => {
    expect(errorOf({ min_endpoint: 1.5 })).toBe(
      'planner.yaml: field "min_endpoint": must be an integer (got 1.5)',
    );
    expect(errorOf({ ttft: "fast" })).toBe(
      'planner.yaml: field "ttft": must be a finite number (got "fast")',
    );
    expect(errorOf({ advisory: "yes" })).toBe(
      'planner.yaml: field "advisory": must be true or false (got "yes")',
    );
    expect(errorOf([1, 2])).toBe("planner.yaml: the planner config must be a mapping of fields (got a list)");
  });

  it("rejects a non-positive report interval but accepts null (reports off)", () => {
    expect(errorOf({ report_interval_hours: 0 })).toContain(
      '"report_interval_hours": must be in (0, 1000000] (or null to disable)',
    );
    expect(parsePlannerConfig({ report_interval_hours: null }).reportIntervalHours).toBeNull();
  });

  it("requires global_planner_namespace for the global-planner environment", () => {
    expect(errorOf({ environment: "global-planner" })).toBe(
      'planner.yaml: field "global_planner_namespace": required when environment is "global-planner"',
    );
  });

  it("requires at least one scaling mode in sla mode", () => {
    expect(
      errorOf({ optimization_target: "sla", enable_load_scaling: false, enable_throughput_scaling: false }),
    ).toContain("at least one of enable_load_scaling / enable_throughput_scaling must be true");
  });

  it('rejects sweeping mode "none" with throughput scaling on, but not when the easy target turns it off', () => {
    expect(errorOf({ optimization_target: "sla", pre_deployment_sweeping_mode: "none" })).toContain(
      '"pre_deployment_sweeping_mode": cannot be "none"',
    );
    expect(() => parsePlannerConfig({ pre_deployment_sweeping_mode: "none" })).not.toThrow();
  });

  it("requires the load interval to be shorter than the throughput interval when both modes run", () => {
    const both = { optimization_target: "sla", enable_load_scaling: true };
    expect(errorOf({ ...both, load_adjustment_interval: 180 })).toBe(
      'planner.yaml: field "load_adjustment_interval": must be < throughput_adjustment_interval when both scaling modes are on (got 180 >= 180)',
    );
    expect(() => parsePlannerConfig({ ...both, load_adjustment_interval: 179 })).not.toThrow();
  });

  it("bounds the scale-down sensitivity to a percentage", () => {
    expect(errorOf({ load_scaling_down_sensitivity: 120 })).toContain("must be <= 100 (got 120)");
  });
});

// docs/limits.md: numeric keys have upper ends too; min_endpoint stops where a simulated pool does.
describe("planner config ranges", () => {
  it.each([
    [{ min_endpoint: 100_000 }, '"min_endpoint": must be an integer in 0..10000 (got 100000)'],
    [{ max_gpu_budget: 2_000_000 }, '"max_gpu_budget": must be an integer <= 1000000 (negative = no budget)'],
    [{ decode_engine_num_gpu: 4096 }, '"decode_engine_num_gpu": must be an integer in 1..1024'],
    [{ ttft: 1e12 }, '"ttft": must be in (0, 1000000000]'],
    [{ max_num_fpm_samples: 1e7 }, '"max_num_fpm_samples": must be an integer in 1..1000000'],
    [{ fpm_sample_bucket_size: 4_000_000 }, '"fpm_sample_bucket_size": must be an integer in 1..1000000'],
    [{ kalman_r: 1e300 }, '"kalman_r": must be in [0, 1000000000000]'],
    [{ scale_down_cooldown: 1e7 }, '"scale_down_cooldown": must be in [0, 1000000]'],
  ])("%j", (input, message) => {
    expect(errorOf(input)).toContain(message);
  });

  it("keeps min_endpoint's cap equal to the simulated pool's", () => {
    expect(MAX_MIN_ENDPOINT).toBe(MAX_POOL_WORKERS);
  });
});
