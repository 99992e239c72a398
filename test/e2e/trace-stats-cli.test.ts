import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const synthetic = fileURLToPath(
  new URL("../../../shared/traces/mooncake_synthetic_trace.jsonl", import.meta.url),
);

function kvsim(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("kvsim trace stats as a user runs it", () => {
  it("with no FILE it analyses the embedded default trace (the Mooncake conversation trace)", () => {
    const r = kvsim(["trace", "stats", "--json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const s = JSON.parse(r.stdout);
    // SOURCES.md: 12,031 requests, 182,790 unique hash ids, 37.4 % token prefix reuse
    expect(s.requests).toBe(12_031);
    expect(s.unique_hash_ids).toBe(182_790);
    expect((s.reuse.tokens * 100).toFixed(1)).toBe("37.4");
  });

  it("--json prints one object with the documented keys and shapes", () => {
    const r = kvsim(["trace", "stats", "--json", synthetic]);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith("}\n")).toBe(true);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s)).toEqual([
      "requests",
      "span_s",
      "rate_rps",
      "isl",
      "osl",
      "unique_hash_ids",
      "reuse",
    ]);
    for (const d of [s.isl, s.osl]) expect(Object.keys(d)).toEqual(["mean", "p50", "p90", "p99", "max"]);
    expect(Object.keys(s.reuse)).toEqual(["blocks", "per_request_mean", "tokens"]);
    expect(s.requests).toBe(3_993);
    expect((s.reuse.tokens * 100).toFixed(1)).toBe("65.1");
  });

  it("prints a compact aligned table with the reuse figures", () => {
    const r = kvsim(["trace", "stats", synthetic]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toContain("requests          3,993");
    expect(lines).toContain("span              1,022.0 s");
    expect(lines).toContain("mean rate         3.91 req/s");
    expect(lines).toContain("unique hash ids   43,924");
    expect(lines.find((l) => l.startsWith("ISL (tokens)"))).toBe(
      "ISL (tokens)         15,325   11,587   38,615   66,456  191,378",
    );
    expect(lines.find((l) => l.startsWith("  tokens"))).toMatch(/^ {2}tokens +65\.1 % {3}reused tokens/);
    // the header's column labels end where the numbers end
    const header = lines.find((l) => l.includes("p50")) as string;
    const isl = lines.find((l) => l.startsWith("ISL")) as string;
    expect(header.length).toBe(isl.length);
  });

  it("a missing file is one line and exit code 2", () => {
    const r = kvsim(["trace", "stats", "/no/such/trace.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kvsim: /no/such/trace.jsonl: cannot read (no such file)\n");
  });

  it("--help describes the command and the trace options", () => {
    const r = kvsim(["trace", "stats", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: kvsim trace stats [FILE]");
    expect(r.stdout).toContain("--lenient");
  });
});
