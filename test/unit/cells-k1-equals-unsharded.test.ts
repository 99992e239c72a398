import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCellReplay } from "../../src/parallel/cells/run-cells.js";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { runReplay } from "../../src/replay/run-replay.js";
import { plannerResultToJson } from "../../src/report/planner-result-text.js";
import { requestRecord } from "../../src/report/requests-jsonl.js";
import { buildReport, reportToJson } from "../../src/report/summary.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import type { RequestCollector } from "../../src/sim/collector.js";
import { readTrace } from "../../src/trace/read-trace.js";
import { runPlannerReplay } from "../support/planner-replay-kit.js";

// One cell is the unsharded replay: same trace rows, same options, same seed, the cell's clock at the trace's
// epoch, merges that add to nothing. Every deterministic byte must match (wall-time keys set to 0 on both sides).

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");
const { columns: trace } = readTrace(fixture, { displayName: "conversation-300.jsonl" });

function requests(collector: RequestCollector): string {
  const out: string[] = [];
  for (let id = 0; id < collector.requestCount; id++)
    out.push(JSON.stringify(requestRecord(collector, trace, id)));
  return out.join("\n");
}

describe("a one-cell replay equals the unsharded replay byte for byte", () => {
  it("without a planner: the report and every request record", async () => {
    const options = resolveClusterOptions({ numWorkers: 3, seed: 5 }, trace.traceBlockSize);
    const unsharded = runReplay(trace, options);
    const cell = await runCellReplay(trace, options, { cells: 1, threads: 1 });
    expect(reportToJson(cell.report, { omitWallTime: true })).toBe(
      reportToJson(unsharded.report, { omitWallTime: true }),
    );
    expect(requests(cell.collector)).toBe(requests(unsharded.simulation.collector));
  });

  it("with a planner in the loop (SLA, load and throughput scaling): the report and the whole planner section", async () => {
    const options = resolveClusterOptions({ numWorkers: 4 }, trace.traceBlockSize);
    const config = parsePlannerConfig({
      mode: "agg",
      optimization_target: "sla",
      enable_load_scaling: true,
      enable_throughput_scaling: true,
      load_adjustment_interval: 5,
      throughput_adjustment_interval: 30,
      ttft: 800,
      itl: 60,
    });
    const planner = { config, traceName: "conversation-300.jsonl", benchmarkGranularity: 4 };
    const unsharded = runPlannerReplay(trace, options, planner);
    const cell = await runCellReplay(trace, options, { cells: 1, threads: 1, planner });
    const text = (collector: RequestCollector, section: NonNullable<typeof cell.planner>) =>
      plannerResultToJson({ report: buildReport(collector, trace, 0), planner: section });
    expect(cell.planner).not.toBeNull();
    expect(unsharded.planner.ticks).toBeGreaterThan(5);
    expect(text(cell.collector, cell.planner as NonNullable<typeof cell.planner>)).toBe(
      text(unsharded.simulation.collector, unsharded.planner),
    );
  });
});
