// `kvsim replay` on both shared Mooncake traces, aggregated and disaggregated, KV-aware and round-robin routing:
// every request completes, output tokens add up to the trace's, and the prefix reuse the finite engine caches
// achieve never exceeds what an infinitely large cache would (computed here from the file, independently).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const shared = (name: string) => fileURLToPath(new URL(`../../../shared/traces/${name}`, import.meta.url));
const TRACE_BLOCK_TOKENS = 512;

interface TraceFacts {
  readonly requests: number;
  readonly outputTokens: number;
  /** Input tokens an infinite prefix cache serves, in arrival order (ids name a block and its whole prefix). */
  readonly infiniteReuseRatio: number;
}

function traceFacts(path: string): TraceFacts {
  const seen = new Set<number>();
  let requests = 0;
  let outputTokens = 0;
  let inputTokens = 0;
  let reusedTokens = 0;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const r = JSON.parse(line) as { input_length: number; output_length: number; hash_ids: number[] };
    requests++;
    outputTokens += r.output_length;
    inputTokens += r.input_length;
    let leading = true;
    r.hash_ids.forEach((id, b) => {
      if (leading && seen.has(id)) {
        reusedTokens += Math.min(TRACE_BLOCK_TOKENS, r.input_length - b * TRACE_BLOCK_TOKENS);
      } else leading = false;
      seen.add(id);
    });
  }
  return { requests, outputTokens, infiniteReuseRatio: reusedTokens / inputTokens };
}

const outDir = mkdtempSync(join(tmpdir(), "kvsim-shared-traces-"));

/** Replays into a report file of the case's own (`caseName`), so no case can read another's report. */
function replay(trace: string, args: string[], caseName: string): Record<string, number> {
  const reportPath = join(outDir, `${caseName}.json`);
  expect(existsSync(reportPath), `${reportPath} exists before its run`).toBe(false);
  const r = spawnSync(
    process.execPath,
    [cli, "replay", trace, "--quiet", "--report-json", reportPath, ...args],
    {
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
      maxBuffer: 1 << 24,
    },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return JSON.parse(readFileSync(reportPath, "utf8")) as Record<string, number>;
}

const TOPOLOGIES: Record<string, string[]> = {
  agg: ["--mode", "agg", "--num-workers", "8"],
  disagg: ["--mode", "disagg", "--num-prefill-workers", "4", "--num-decode-workers", "4"],
};

describe.each(["mooncake_conversation_trace.jsonl", "mooncake_synthetic_trace.jsonl"])(
  "replay %s",
  (name) => {
    const facts = traceFacts(shared(name));
    for (const [topology, topologyArgs] of Object.entries(TOPOLOGIES)) {
      for (const router of ["kv", "round_robin"]) {
        it(`${topology}, ${router}: every request completes with the trace's output tokens`, () => {
          const caseName = `${name.replace(/\.jsonl$/, "")}-${topology}-${router}`;
          const report = replay(shared(name), [...topologyArgs, "--router-mode", router], caseName);
          expect(report.num_requests).toBe(facts.requests);
          expect(report.completed_requests).toBe(facts.requests);
          expect(report.total_output_tokens).toBe(facts.outputTokens);
          expect(report.prefix_cache_reused_ratio).toBeGreaterThanOrEqual(0);
          expect(report.prefix_cache_reused_ratio).toBeLessThanOrEqual(facts.infiniteReuseRatio + 1e-12);
        }, 60_000);
      }
    }
  },
);
