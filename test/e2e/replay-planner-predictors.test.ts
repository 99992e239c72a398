import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");

interface Tick {
  readonly throughput_decision_reason: string | null;
  readonly predicted_requests_per_second: number | null;
  readonly predicted_kv_hit_rate: number | null;
  readonly load_decision_reason: string | null;
}

/** SLA mode with load and throughput scaling, so the predictor forecasts every 30 s. */
function runWith(mode: "agg" | "disagg", predictor: string) {
  const config = {
    mode,
    optimization_target: "sla",
    enable_load_scaling: true,
    enable_throughput_scaling: true,
    throughput_adjustment_interval: 30,
    load_predictor: predictor,
    ttft: 1500,
    itl: 30,
  };
  const r = spawnSync(
    process.execPath,
    [cli, "replay", fixture, "--planner-config", JSON.stringify(config), "--json"],
    {
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim replay --planner-config runs every predictor in agg and disagg", () => {
  for (const mode of ["agg", "disagg"] as const) {
    for (const predictor of ["constant", "arima", "kalman", "holt", "prophet"]) {
      it(`${mode} with the ${predictor} predictor`, () => {
        const r = runWith(mode, predictor);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        const json = JSON.parse(r.stdout) as {
          completed_requests: number;
          planner: { mode: string; ticks: number; config: Record<string, unknown>; diagnostics: Tick[] };
        };
        expect(json.completed_requests).toBe(300);
        const p = json.planner;
        expect(p.mode).toBe(mode);
        // "prophet" is the config alias of the seasonal "holt" predictor.
        expect(p.config.load_predictor).toBe(predictor === "prophet" ? "holt" : predictor);
        // ~120 s of simulated time: load ticks every 5 s, throughput ticks every 30 s.
        expect(p.ticks).toBeGreaterThan(15);
        const throughputTicks = p.diagnostics.filter((d) => d.throughput_decision_reason !== null);
        expect(throughputTicks.length).toBeGreaterThanOrEqual(3);
        for (const t of throughputTicks) {
          expect(t.predicted_requests_per_second).not.toBeNull();
          expect(t.predicted_kv_hit_rate).not.toBeNull();
        }
        expect(p.diagnostics.every((d) => d.load_decision_reason !== null)).toBe(true);
      });
    }
  }
});
