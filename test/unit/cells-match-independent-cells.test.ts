import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assignCells } from "../../src/parallel/cells/cell-assignment.js";
import { planCellOptions } from "../../src/parallel/cells/cell-plan.js";
import { runCellReplay } from "../../src/parallel/cells/run-cells.js";
import { ClusterSimulation } from "../../src/sim/cluster/cluster-simulation.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { RequestCollector } from "../../src/sim/collector.js";
import { cellTrace, traceArrivalOriginMs } from "../../src/sim/workload/trace-subset.js";
import { readTrace } from "../../src/trace/read-trace.js";

// Reference: run each cell's slice as an ordinary ClusterSimulation on this thread, one after the other, and copy
// its rows into request-id space by hand (worker w of cell k → global id w·K + k). The threaded replay, with its
// protocol, transfers, FlatBuffers round trip and merge, must give the same per-request columns.

const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "test", "fixtures", "replay", "conversation-300.jsonl");
const { columns: trace } = readTrace(fixture, { displayName: "conversation-300.jsonl" });

function reference(cells: number, options: ReturnType<typeof resolveClusterOptions>): RequestCollector {
  const assignment = assignCells(trace, { kind: "block", depthBlocks: 2 }, cells);
  const plan = planCellOptions(options, cells);
  const origin = traceArrivalOriginMs(trace);
  const out = new RequestCollector(trace.count);
  for (let k = 0; k < cells; k++) {
    const rows = assignment.rowsOfCell[k] as Uint32Array;
    const sim = new ClusterSimulation(
      cellTrace(trace, rows, origin),
      plan[k] as ReturnType<typeof resolveClusterOptions>,
    );
    sim.run();
    const c = sim.collector;
    rows.forEach((id, i) => {
      out.arrivalMs[id] = c.arrivalMs[i] as number;
      out.firstAdmitMs[id] = c.firstAdmitMs[i] as number;
      out.firstTokenMs[id] = c.firstTokenMs[i] as number;
      out.secondTokenMs[id] = c.secondTokenMs[i] as number;
      out.lastTokenMs[id] = c.lastTokenMs[i] as number;
      out.tokenCount[id] = c.tokenCount[i] as number;
      out.reusedTokens[id] = c.reusedTokens[i] as number;
      out.hostTokens[id] = c.hostTokens[i] as number;
      out.diskTokens[id] = c.diskTokens[i] as number;
      out.onboardedTokens[id] = c.onboardedTokens[i] as number;
      out.onboardMs[id] = c.onboardMs[i] as number;
      out.workerId[id] = (c.workerId[i] as number) * cells + k;
      out.preemptions[id] = c.preemptions[i] as number;
    });
  }
  return out;
}

const COLUMNS = [
  "arrivalMs",
  "firstAdmitMs",
  "firstTokenMs",
  "secondTokenMs",
  "lastTokenMs",
  "tokenCount",
  "reusedTokens",
  "hostTokens",
  "diskTokens",
  "onboardedTokens",
  "onboardMs",
  "workerId",
  "preemptions",
] as const;

describe("a threaded sharded replay equals its cells run one by one on this thread", () => {
  it("3 cells of a 7-worker cluster (3/2/2 workers), every per-request column", async () => {
    const options = resolveClusterOptions({ numWorkers: 7, seed: 11 }, trace.traceBlockSize);
    const expected = reference(3, options);
    const run = await runCellReplay(trace, options, {
      cells: 3,
      threads: 2,
      shardKey: { kind: "block", depthBlocks: 2 },
    });
    expect(run.layout.workers).toEqual({ agg: [3, 2, 2] });
    for (const column of COLUMNS)
      expect(Array.from(run.collector[column]), column).toEqual(Array.from(expected[column]));
    // Workers of every cell served requests, under their global ids (w·3 + k covers all of 0..6).
    expect(new Set(run.collector.workerId)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
  });

  it("with host and disk KV tiers, the tier columns too", async () => {
    const engineArgs = {
      num_gpu_blocks: 5000,
      host_kv_blocks: 512,
      host_kv_bandwidth: 20,
      disk_kv_blocks: 8192,
      disk_kv_bandwidth: 2,
      kv_bytes_per_token: 131072,
    };
    const options = resolveClusterOptions({ numWorkers: 4, seed: 3, engineArgs }, trace.traceBlockSize);
    const expected = reference(2, options);
    const run = await runCellReplay(trace, options, { cells: 2, threads: 2 });
    for (const column of COLUMNS)
      expect(Array.from(run.collector[column]), column).toEqual(Array.from(expected[column]));
    // The run did reach both lower tiers.
    expect(run.collector.hostTokens.some((t) => t > 0)).toBe(true);
    expect(run.collector.diskTokens.some((t) => t > 0)).toBe(true);
  });
});
