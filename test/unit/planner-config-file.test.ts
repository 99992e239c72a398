import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlannerConfig, parsePlannerConfigText } from "../../src/planner/config-file.js";

describe("planner config files: YAML, JSON, inline JSON, with the line of a bad field", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-planner-config-"));

  it("reads YAML and points at the line of a bad field", () => {
    const path = join(dir, "planner.yaml");
    writeFileSync(path, "mode: agg\n# comment\nfpm_sample_bucket_size: 10\n");
    expect(() => loadPlannerConfig(path)).toThrow(
      'planner.yaml:3: field "fpm_sample_bucket_size": must be a perfect square (got 10)',
    );
    writeFileSync(path, "mode: agg\noptimization_target: sla\nload_predictor: kalman\n");
    const c = loadPlannerConfig(path);
    expect([c.mode, c.optimizationTarget, c.loadPredictor]).toEqual(["agg", "sla", "kalman"]);
  });

  it("reads JSON files and inline JSON", () => {
    const path = join(dir, "planner.json");
    writeFileSync(path, '{\n  "mode": "decode",\n  "itl": 40\n}\n');
    expect(loadPlannerConfig(path).mode).toBe("decode");
    expect(loadPlannerConfig('{"mode": "prefill"}').mode).toBe("prefill");
    writeFileSync(path, '{\n  "mode": "decode",\n  "bogus": 1\n}\n');
    expect(() => loadPlannerConfig(path)).toThrow('planner.json:3: field "bogus": unknown field');
  });

  it("tries JSON then YAML for other extensions", () => {
    expect(parsePlannerConfigText('{"mode":"agg"}', "cfg", "auto").mode).toBe("agg");
    expect(parsePlannerConfigText("mode: decode\n", "cfg", "auto").mode).toBe("decode");
  });

  it("an empty YAML file is the all-defaults config", () => {
    expect(parsePlannerConfigText("# nothing\n", "p.yaml", "yaml").mode).toBe("disagg");
  });

  it("reports syntax errors with their line, and missing files by name", () => {
    expect(() => parsePlannerConfigText("mode: agg\nmode: decode\n", "p.yaml", "yaml")).toThrow(
      /^p\.yaml:2: invalid YAML/,
    );
    expect(() => parsePlannerConfigText('{\n"mode": "agg",\n}', "p.json", "json")).toThrow(
      /^p\.json:3: invalid JSON/,
    );
    expect(() => loadPlannerConfig(join(dir, "missing.yaml"))).toThrow(
      /missing\.yaml: cannot read the planner config \(ENOENT\)/,
    );
  });
});
