import { describe, expect, it } from "vitest";
import { defaultPlannerConfig, parsePlannerConfig } from "../../src/planner/config.js";
import { PLANNER_CONFIG_FIELDS } from "../../src/planner/config-fields.js";

describe("planner config defaults (docs/planner.md#config)", () => {
  it("an empty config gets every documented default", () => {
    const c = defaultPlannerConfig();
    expect(c).toMatchObject({
      preDeploymentSweepingMode: "rapid",
      environment: "kubernetes",
      namespace: "dynamo",
      backend: "vllm",
      mode: "disagg",
      optimizationTarget: "throughput",
      logDir: null,
      throughputAdjustmentIntervalS: 180,
      maxGpuBudget: 8,
      minEndpoint: 1,
      decodeEngineNumGpu: null,
      prefillEngineNumGpu: null,
      profileResultsDir: "profiling_results",
      ttftMs: 500,
      itlMs: 50,
      loadPredictor: "arima",
      loadPredictorLog1p: false,
      prophetWindowSize: 50,
      loadPredictorWarmupTrace: null,
      kalmanQLevel: 1.0,
      kalmanQTrend: 0.1,
      kalmanR: 10.0,
      kalmanMinPoints: 5,
      metricReportingPrometheusPort: 0,
      throughputMetricsSource: "frontend",
      modelName: null,
      globalPlannerNamespace: null,
      loadAdjustmentIntervalS: 5,
      maxNumFpmSamples: 64,
      fpmSampleBucketSize: 16,
      loadScalingDownSensitivityPct: 80,
      loadMetricSamples: 10,
      loadMinObservations: 5,
      advisory: false,
      reportIntervalHours: 24,
      reportOutputDir: "./planner_reports",
      reportFilename: null,
      liveDashboardPort: 8080,
      kvHitRateAwareness: true,
    });
  });

  it("the default target (throughput) forces load scaling on and throughput scaling off", () => {
    // Defaults say enable_throughput_scaling = true, enable_load_scaling = false; the easy target overrides both.
    const c = defaultPlannerConfig();
    expect(c.enableLoadScaling).toBe(true);
    expect(c.enableThroughputScaling).toBe(false);
    const latency = parsePlannerConfig({
      optimization_target: "latency",
      enable_load_scaling: false,
      enable_throughput_scaling: true,
    });
    expect([latency.enableLoadScaling, latency.enableThroughputScaling]).toEqual([true, false]);
  });

  it("the sla target keeps the flags as given (defaults: throughput on, load off)", () => {
    const c = parsePlannerConfig({ optimization_target: "sla" });
    expect([c.enableLoadScaling, c.enableThroughputScaling]).toEqual([false, true]);
  });

  it('accepts "prophet" as an alias of the holt predictor', () => {
    expect(parsePlannerConfig({ load_predictor: "prophet" }).loadPredictor).toBe("holt");
    expect(parsePlannerConfig({ load_predictor: "kalman" }).loadPredictor).toBe("kalman");
  });

  it("takes namespace and Prometheus settings from the environment when the file omits them", () => {
    const env = {
      DYN_NAMESPACE: "prod-ns",
      PROMETHEUS_ENDPOINT: "http://prom:9090",
      PLANNER_PROMETHEUS_PORT: "9100",
    };
    const c = parsePlannerConfig({}, { env });
    expect([c.namespace, c.metricPullingPrometheusEndpoint, c.metricReportingPrometheusPort]).toEqual([
      "prod-ns",
      "http://prom:9090",
      9100,
    ]);
    expect(parsePlannerConfig({ namespace: "mine" }, { env }).namespace).toBe("mine");
  });

  it("warns when ttft/itl are set with a non-sla target (they are unused there)", () => {
    const warnings: string[] = [];
    parsePlannerConfig({ ttft: 200 }, { onWarning: (m) => warnings.push(m), source: "p.yaml" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("ttft/itl are ignored");
    parsePlannerConfig({ ttft: 200, optimization_target: "sla" }, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
  });

  it("documents every config field exactly once in the field table", () => {
    const keys = PLANNER_CONFIG_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    const names = new Set(PLANNER_CONFIG_FIELDS.map((f) => f.name));
    // Every property of the parsed object (besides the two flags forced by the target) has a row.
    for (const name of Object.keys(defaultPlannerConfig())) expect(names.has(name as never)).toBe(true);
  });
});
