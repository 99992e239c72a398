import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lognormal, uniform } from "../../src/trace/synth/distributions.js";
import { synthesizeTrace } from "../../src/trace/synth/generate.js";
import { writeTraceJsonl } from "../../src/trace/synth/jsonl-writer.js";
import { parseRateProfile } from "../../src/trace/synth/rate-profile.js";
import type { SynthSpec } from "../../src/trace/synth/synth-spec.js";

const dir = mkdtempSync(join(tmpdir(), "kvsim-synth-det-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every knob away from its default, so every random stream is exercised. */
const BUSY: Partial<SynthSpec> = {
  requests: 3000,
  rateProfile: parseRateProfile("test", "0:2,100:20,200:5"),
  arrival: "gamma",
  burstinessCv: 2.5,
  isl: lognormal(700, 400, 5000),
  osl: uniform(10, 300),
  prefixGroups: 5,
  prefixTokens: 1500,
  zipfExponent: 0.8,
  turns: uniform(1, 4),
  thinkTimeMs: lognormal(3000, 2000),
};

function fileFor(name: string, spec: Partial<SynthSpec>): Buffer {
  const path = join(dir, `${name}.jsonl`);
  writeTraceJsonl(synthesizeTrace(spec), path);
  return readFileSync(path);
}

describe("synthetic traces are a pure function of their spec and seed", () => {
  it("writes byte-identical files for the same seed", () => {
    const a = fileFor("a", { ...BUSY, seed: 7 });
    const b = fileFor("b", { ...BUSY, seed: 7 });
    expect(a.length).toBeGreaterThan(100_000);
    expect(a.equals(b)).toBe(true);
  });

  it("writes different files for different seeds", () => {
    const a = fileFor("c", { ...BUSY, seed: 7 });
    const b = fileFor("d", { ...BUSY, seed: 8 });
    expect(a.equals(b)).toBe(false);
  });

  it("carries the sha256 of exactly the bytes it writes", () => {
    const trace = synthesizeTrace({ ...BUSY, seed: 11 });
    const path = join(dir, "e.jsonl");
    writeTraceJsonl(trace, path);
    expect(trace.sourceChecksum).toBe(createHash("sha256").update(readFileSync(path)).digest("hex"));
  });

  it("keeps the arrival stream unchanged when only a length distribution changes", () => {
    const a = synthesizeTrace({ requests: 200, seed: 3 });
    const b = synthesizeTrace({ requests: 200, seed: 3, osl: uniform(1, 5) });
    expect(Array.from(b.arrivalMs)).toEqual(Array.from(a.arrivalMs));
    expect(Array.from(b.outputTokens)).not.toEqual(Array.from(a.outputTokens));
  });
});
