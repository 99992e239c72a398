import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { lognormal, uniform } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { traceToJsonl } from "../../src/trace/synth/jsonl-writer.js";
import { SYNTH_PRESETS } from "../../src/trace/synth/synth-spec.js";

const dir = mkdtempSync(join(tmpdir(), "kvsim-synth-reuse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  input_length: number;
  hash_ids: number[];
}

/**
 * Independent reuse measure: infinite cache, rows in file (arrival) order; a row reuses its leading blocks up
 * to its first never-seen id; a reused last block counts only the tokens the prompt has in it.
 */
function tokenReuse(jsonl: string, block: number): number {
  const seen = new Set<number>();
  let reused = 0;
  let input = 0;
  for (const line of jsonl.split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as Row;
    input += row.input_length;
    let i = 0;
    while (i < row.hash_ids.length && seen.has(row.hash_ids[i] as number)) {
      reused += Math.min(block, row.input_length - i * block);
      i++;
    }
    for (const id of row.hash_ids) seen.add(id);
  }
  return reused / input;
}

function silentIo() {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  return { stdout: sink, stderr: sink, env: {} };
}

describe("the shared-prefix preset makes a workload with 60–90 % token reuse", () => {
  it("kvsim trace synth --preset shared-prefix reaches ≈ 79 % reuse", async () => {
    const path = join(dir, "shared.jsonl");
    expect(await runCli(["trace", "synth", "--preset", "shared-prefix", "-o", path], silentIo())).toBe(0);
    const reuse = tokenReuse(readFileSync(path, "utf8"), 512);
    expect(reuse).toBeGreaterThanOrEqual(0.6);
    expect(reuse).toBeLessThanOrEqual(0.9);
    // By hand: every request but the first of each of 16 groups reuses its 4096 prefix tokens out of
    // 4096 + E[isl] = 5120: (2000 − 16)·4096 / (2000·5120) = 0.794. Σ isl over 2000 draws has relative sd
    // 512/(1024·√2000) = 1.1 % of 1024, i.e. ±0.0024 on the ratio at 1σ; ±0.015 is > 5σ.
    expect(Math.abs(reuse - 0.794)).toBeLessThan(0.015);
  });

  it("the preset is what the README documents", () => {
    const p = SYNTH_PRESETS["shared-prefix"];
    expect(p.requests).toBe(2000);
    expect(p.prefixGroups).toBe(16);
    expect(p.prefixTokens).toBe(4096);
  });

  it("multi-turn sessions on top of shared prefixes reuse more, still measured independently", () => {
    const trace = synthesizeTrace(
      { turns: uniform(2, 4), thinkTimeMs: lognormal(5000, 3000), isl: lognormal(512, 256) },
      "shared-prefix",
    );
    const text = traceToJsonl(trace);
    // By hand: turn 1 ≈ 4096 + 512 tokens, reusing the 4096 prefix; each later turn adds 256 + 512 tokens and
    // reuses the previous prompt minus its partial last block (≈ 256 tokens on average). For 3 turns:
    // (4096 + 4352 + 5120) / (4608 + 5376 + 6144) = 0.841; 2 turns 0.846, 4 turns 0.844; cold group
    // prefixes cost 16·4096 / 11M ≈ 0.006. So ≈ 0.84; ±0.03 leaves room for the lognormal tails.
    const reuse = tokenReuse(text, 512);
    expect(Math.abs(reuse - 0.84)).toBeLessThan(0.03);
  });

  it("without prefix groups or turns nothing is reused", () => {
    const text = traceToJsonl(synthesizeTrace({ requests: 500 }));
    expect(tokenReuse(text, 512)).toBe(0);
  });
});
