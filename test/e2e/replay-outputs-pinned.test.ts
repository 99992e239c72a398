// Exact, not approximate: the replay's outputs are pinned to those of the engine before the speed work (commit
// 2c080a2: the router replaying KV events into its own index, the KV pool filing every engine block). Each case's
// per-request records (--requests-out, raw bytes) and its JSON report (wall-time fields dropped, keys sorted) are
// hashed and compared with the digests of that tree's outputs, so any change to a figure fails here.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const traces = join(root, "..", "shared", "traces");
const CONVERSATION = join(traces, "mooncake_conversation_trace.jsonl");
const SYNTHETIC = join(traces, "mooncake_synthetic_trace.jsonl");

/** Report keys that carry host time (as the golden set dropped them). */
const WALL = /wall|_per_s$|elapsed|cpu_s|_seconds_cpu/;
const KEPT = new Set(["output_throughput_tok_s", "input_throughput_tok_s", "total_throughput_tok_s"]);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !WALL.test(k) || KEPT.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]);
    return Object.fromEntries(entries);
  }
  return value;
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

const SLA_DISAGG = {
  mode: "disagg",
  optimization_target: "sla",
  ttft: 2000,
  itl: 50,
  load_predictor: "constant",
  throughput_adjustment_interval: 60,
  load_adjustment_interval: 5,
};

describe("replay outputs are byte-identical to the engine before the speed work", () => {
  const dir = mkdtempSync(join(tmpdir(), "kvsim-pinned-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const conv1500 = join(dir, "conv-1500.jsonl"); // the name the digests were taken with (reports name their trace)
  writeFileSync(conv1500, `${readFileSync(CONVERSATION, "utf8").split("\n").slice(0, 1500).join("\n")}\n`);

  // name → [args, sha256 of --requests-out, sha256 of the canonical report]
  const cases: [string, string[], string, string][] = [
    [
      "embedded trace, agg 8 workers, KV router",
      ["--mode", "agg", "--num-workers", "8", "--router-mode", "kv"],
      "5ee27bdaa91ab0af8d3e92dccdef7b68d42d92085dd689cee7a529d3465d2f4a",
      "08fd195114e73489e3bd36223f4bb65f1adc392923e018e30f779024f1d251e6",
    ],
    [
      "synthetic trace, disagg 2P+3D, KV router",
      [SYNTHETIC, "--mode", "disagg", "--num-prefill-workers", "2", "--num-decode-workers", "3"],
      "a78ac4a440fa7b8fa5e809088430090f914c0bdd03d794005b7c5cb7f6f15c1a",
      "9bcd04d76d3a71d7035b03fc3afdda55402532372f394cb50a28a0e8064216c8",
    ],
    [
      "synthetic trace, agg 4 workers, round robin",
      [SYNTHETIC, "--mode", "agg", "--num-workers", "4", "--router-mode", "round_robin"],
      "71f4eec7bb0bb554a6b8772836a45251576893f0c7af4124b2044f60c15fed37",
      "443b30a2ab6889cb6eb505f9f0e872f155d16af375397d861937613bfb3be9d8",
    ],
    [
      "conversation trace, disagg from 2P+2D, SLA planner (dynamo)",
      [
        CONVERSATION,
        "--num-prefill-workers",
        "2",
        "--num-decode-workers",
        "2",
        "--planner-config",
        JSON.stringify(SLA_DISAGG),
      ],
      "dbfdd6485ebe3fde0affeae4a9a543da8d02aad5cb0b2906efc1638b92b0e264",
      "497a88c8987cdddfc9fbba6c7eb703c8962f47571db5323865648b98ee834e91",
    ],
    [
      "conversation trace, disagg from 2P+2D, scaling_policy kvsim",
      [
        CONVERSATION,
        "--num-prefill-workers",
        "2",
        "--num-decode-workers",
        "2",
        "--planner-config",
        JSON.stringify({ ...SLA_DISAGG, scaling_policy: "kvsim" }),
      ],
      "4c193b64ae3123e2dfd3bf57ff33b016881d9afcbda01e2bc7e17e3b1efa4d94",
      "5223c0db5713a3f78ceb654262e512f7b4ee444f414c0140571597873625dbe9",
    ],
    [
      "1,500 conversation requests, agg 2 workers, 16-token blocks, small cache (preemption, chunked prefill)",
      [
        conv1500,
        "--mode",
        "agg",
        "--num-workers",
        "2",
        "--engine-args",
        '{"num_gpu_blocks":16000,"block_size":16,"max_num_batched_tokens":4096}',
        "--router-mode",
        "kv",
      ],
      "cda727ebb58fbfeec0e513af4e1e7e1ec2e806a69abd0c360f0cf6f4072ae259",
      "a152469fc56ac217809a84798247bae90199383ec4e1ad22459aff92fd1d4409",
    ],
  ];

  for (const [name, args, requestsDigest, reportDigest] of cases) {
    it(name, () => {
      const requests = join(dir, "requests.jsonl");
      const report = join(dir, "report.json");
      const r = spawnSync(
        process.execPath,
        [cli, "replay", ...args, "--quiet", "--requests-out", requests, "--report-json", report],
        { encoding: "utf8", env: { ...process.env, CI: "1" } },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(sha256(readFileSync(requests)), "--requests-out").toBe(requestsDigest);
      const canon = JSON.stringify(canonical(JSON.parse(readFileSync(report, "utf8"))));
      expect(sha256(canon), "--report-json").toBe(reportDigest);
    });
  }
});
