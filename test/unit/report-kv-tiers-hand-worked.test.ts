import { describe, expect, it } from "vitest";
import { aiperfRows, renderAiperfTable } from "../../src/report/aiperf-table.js";
import { appendKvTiersSection, buildKvTiersSection, kvTiersSectionFor } from "../../src/report/kv-tiers.js";
import { buildReport, reportToJson } from "../../src/report/summary.js";
import { resolveClusterOptions } from "../../src/sim/cluster/resolve-options.js";
import { RequestCollector } from "../../src/sim/collector.js";

/**
 * Four requests, kv_bytes_per_token 1e6 (admission arguments: reused, host, disk, onboarding ms):
 *   A (input 1000): (512, 256, 128, 40); one token                       G1 128, G2 256, G3 128; moved 384, 40 ms
 *   B (input 2000): (1024, 0, 0, 0), preempted, (768, 768, 0, 30); token   G1 1024;                moved 768, 30 ms
 *   C (input 1000): (256, 0, 256, 10), preempted, (256, 256, 0, 5); token  G3 256 (first of equal hits); 512, 15 ms
 *   D (input 500):  (64, 64, 0, 100), no token → not completed, not counted
 * Σ input = 4000; Σ reused = 512 + 1024 + 256 = 1792 → prefix_cache_reused_ratio 0.448
 *   g1 = (128 + 1024) / 4000 = 0.288; g2 = 256 / 4000 = 0.064; g3 = (128 + 256) / 4000 = 0.096
 * onboarding over A, B, C: times sorted [15, 30, 40] → mean 85 / 3, p50 = index round(2 · 0.5) = 1 → 30,
 *   p99 = index round(2 · 0.99) = 2 → 40; bytes = (384 + 768 + 512) × 1e6 = 1.664e9
 */
function handBuilt(): RequestCollector {
  const c = new RequestCollector(4);
  for (let id = 0; id < 4; id++) c.onArrival(id, 0);
  c.onAdmit(0, 5, 512, 256, 128, 40);
  c.onToken(0, 50);
  c.onAdmit(1, 1, 1024);
  c.onPreempt(1);
  c.onAdmit(1, 60, 768, 768, 0, 30);
  c.onToken(1, 100);
  c.onAdmit(2, 2, 256, 0, 256, 10);
  c.onPreempt(2);
  c.onAdmit(2, 30, 256, 256, 0, 5);
  c.onToken(2, 40);
  c.onAdmit(3, 3, 64, 64, 0, 100);
  return c;
}

const trace = {
  inputTokens: new Uint32Array([1000, 2000, 1000, 500]),
  outputTokens: new Uint32Array([4, 4, 4, 4]),
};

describe("the kv_tiers section, worked by hand", () => {
  const collector = handBuilt();
  const report = buildReport(collector, trace, 1);
  const section = buildKvTiersSection(collector, trace, 1e6);

  it("splits the reuse into shares of all prompt tokens that add up to prefix_cache_reused_ratio", () => {
    expect(report.prefix_cache_reused_ratio).toBe(0.448);
    expect(section.reused_ratio_g1).toBe(0.288);
    expect(section.reused_ratio_g2).toBe(0.064);
    expect(section.reused_ratio_g3).toBe(0.096);
    expect(section.reused_ratio_g1 + section.reused_ratio_g2 + section.reused_ratio_g3).toBeCloseTo(
      report.prefix_cache_reused_ratio,
      15,
    );
  });

  it("gives the onboarding count, mean, nearest-rank p50 / p99 and bytes over requests that onboarded", () => {
    expect(section.onboarding.requests).toBe(3);
    expect(section.onboarding.mean_ms).toBeCloseTo(85 / 3, 12);
    expect(section.onboarding.p50_ms).toBe(30);
    expect(section.onboarding.p99_ms).toBe(40);
    expect(section.onboarding.bytes).toBe(1.664e9);
  });

  it("has null onboarding statistics when no request onboarded", () => {
    const c = new RequestCollector(1);
    c.onArrival(0, 0);
    c.onAdmit(0, 0, 128);
    c.onToken(0, 1);
    const s = buildKvTiersSection(c, { inputTokens: new Uint32Array([256]) }, 1e6);
    expect(s).toEqual({
      reused_ratio_g1: 0.5,
      reused_ratio_g2: 0,
      reused_ratio_g3: 0,
      onboarding: { requests: 0, mean_ms: null, p50_ms: null, p99_ms: null, bytes: 0 },
    });
  });

  it("is appended to the flat report's JSON as its last key, the text before it unchanged", () => {
    const flat = reportToJson(report);
    const json = appendKvTiersSection(flat, section);
    expect(json.startsWith(flat.slice(0, flat.lastIndexOf("\n}")))).toBe(true);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(parsed).at(-1)).toBe("kv_tiers");
    expect(parsed.kv_tiers).toEqual(section);
    expect(Object.keys(parsed.kv_tiers as object)).toEqual([
      "reused_ratio_g1",
      "reused_ratio_g2",
      "reused_ratio_g3",
      "onboarding",
    ]);
    expect(json).toContain('      "p99_ms": 40,\n      "bytes": 1664000000\n    }\n  }\n}\n');
  });

  it("adds the tier rows under the prefix-cache row of the terminal table", () => {
    const rows = aiperfRows(report, section);
    const at = rows.findIndex((r) => r.label[0] === "Prefix Cache Reused (%)");
    const tierRows = rows.slice(at + 1, at + 7).map((r) => [r.label[0], ...r.cells]);
    const na = "N/A";
    expect(tierRows).toEqual([
      ["Prefix Cache Reused, GPU G1 (%)", "28.80", na, na, na, na, na, na, na],
      ["Prefix Cache Reused, Host G2 (%)", "6.40", na, na, na, na, na, na, na],
      ["Prefix Cache Reused, Disk G3 (%)", "9.60", na, na, na, na, na, na, na],
      // avg | min | max | p99 | p90 | p50 | p75 | std: the report keeps the mean, p99 and p50
      ["KV Onboarding Time (ms)", "28.33", na, na, "40.00", na, "30.00", na, na],
      ["KV Onboarded Requests", "3", na, na, na, na, na, na, na],
      ["KV Onboarded (GB)", "1.66", na, na, na, na, na, na, na],
    ]);
    expect(renderAiperfTable(report)).not.toContain("G1");
  });
});

describe("which runs have a kv_tiers section", () => {
  const tier = { host_kv_blocks: 64, host_kv_bandwidth: 10, kv_bytes_per_token: 2048 };
  const section = (input: Parameters<typeof resolveClusterOptions>[0]) =>
    kvTiersSectionFor(handBuilt(), trace, resolveClusterOptions(input, 512));

  it("none without a tier, or with zero-capacity tiers", () => {
    expect(section({ numWorkers: 2 })).toBeNull();
    expect(
      section({ engineArgs: { host_kv_blocks: 0, disk_kv_blocks: 0, kv_bytes_per_token: 2048 } }),
    ).toBeNull();
  });

  it("agg workers with a tier; in disagg, the prefill pool's tier and bytes per token", () => {
    expect(section({ engineArgs: tier })?.onboarding.bytes).toBe(1664 * 2048);
    expect(section({ mode: "disagg", prefillEngineArgs: tier })?.onboarding.bytes).toBe(1664 * 2048);
    // Decode workers get their KV from prefill and keep no tiers (src/sim/engine/scheduler.ts).
    expect(section({ mode: "disagg", decodeEngineArgs: tier })).toBeNull();
  });
});
