import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type CellReplayRun, runCellReplay } from "../../src/parallel/cells/run-cells.js";
import { parsePlannerConfig } from "../../src/planner/config.js";
import { plannerResultToJson } from "../../src/report/planner-result-text.js";
import { requestRecord } from "../../src/report/requests-jsonl.js";
import { buildReport } from "../../src/report/summary.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { cellTrace } from "../../src/sim/workload/trace-subset.js";
import { readTrace } from "../../src/trace/read-trace.js";

// Three cells on 1, 2 and 3 threads: a cell's simulation does not depend on which thread hosts it, and the
// coordinator merges replies in cell order, so every deterministic byte of the result is the same.

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");
const { columns: whole } = readTrace(fixture, { displayName: "conversation-300.jsonl" });
// The first 150 requests keep each run short (three runs per case).
const trace = cellTrace(
  whole,
  Uint32Array.from({ length: 150 }, (_, i) => i),
  null,
);

function fingerprint(run: CellReplayRun): string {
  const lines = [JSON.stringify(run.layout), JSON.stringify(run.cellEndMs)];
  const report = buildReport(run.collector, trace, 0);
  lines.push(
    run.planner === null ? JSON.stringify(report) : plannerResultToJson({ report, planner: run.planner }),
  );
  for (let id = 0; id < trace.count; id++)
    lines.push(JSON.stringify(requestRecord(run.collector, trace, id)));
  return lines.join("\n");
}

async function acrossThreads(run: (threads: number) => Promise<CellReplayRun>): Promise<string[]> {
  const out: string[] = [];
  for (const threads of [1, 2, 3]) {
    const r = await run(threads);
    expect(r.threads).toBe(threads);
    out.push(fingerprint(r));
  }
  return out;
}

describe("a 3-cell replay is byte-identical on 1, 2 and 3 threads", () => {
  it("without a planner (disaggregated cluster)", async () => {
    const options = resolveClusterOptions({ mode: "disagg", numPrefillWorkers: 3, numDecodeWorkers: 4 }, 512);
    const [one, two, three] = await acrossThreads((threads) =>
      runCellReplay(trace, options, { cells: 3, threads }),
    );
    expect(two).toBe(one);
    expect(three).toBe(one);
  });

  it("with a planner in the loop that scales the cells", async () => {
    const options = resolveClusterOptions({ numWorkers: 6 }, 512);
    const config = parsePlannerConfig({
      mode: "agg",
      optimization_target: "throughput",
      load_adjustment_interval: 5,
      min_endpoint: 3,
    });
    const planner = { config, traceName: "conversation-300.jsonl" };
    const runs: CellReplayRun[] = [];
    const [one, two, three] = await acrossThreads(async (threads) => {
      const r = await runCellReplay(trace, options, { cells: 3, threads, planner });
      runs.push(r);
      return r;
    });
    // The planner did act on the cells (otherwise this would only repeat the test above).
    expect(runs[0]?.planner?.scaling_events.length).toBeGreaterThan(0);
    expect(two).toBe(one);
    expect(three).toBe(one);
  });
});
