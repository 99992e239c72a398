import { Prng } from "../../../native-free-kernels/prng.js";
import { InputError } from "../../util/errors.js";
import type { TraceColumns } from "../columns.js";
import { ArrivalProcess } from "./arrivals.js";
import { COUNT_DOMAIN, DistributionSampler, TIME_DOMAIN, ZipfSampler } from "./distributions.js";
import { finalizeRows, RowBuffer } from "./row-buffer.js";
import { MAX_SYNTH_REQUESTS, resolveSynthSpec, type SynthPresetName, type SynthSpec } from "./synth-spec.js";

/** Prompts beyond this many tokens are refused (input_length is a uint32 column; real contexts are far smaller). */
export const MAX_SYNTH_PROMPT_TOKENS = 2 ** 31 - 1;

/** A prompt beyond MAX_SYNTH_PROMPT_TOKENS, blamed on the knob that made it: the first turn's ISL, or --turns. */
function promptTooLong(turn: number, inputTokens: number, prefixTokens: number): InputError {
  if (turn === 0) {
    const prefix = prefixTokens > 0 ? ` (after the ${prefixTokens}-token shared prefix)` : "";
    return new InputError(
      `trace synth: --isl: a first-turn prompt of ${inputTokens} tokens${prefix} is longer than ` +
        `${MAX_SYNTH_PROMPT_TOKENS} tokens; lower the ISL (or cap it: lognormal:MEAN:SD:MAX)`,
    );
  }
  return new InputError(
    `trace synth: --turns: a session's prompt grows past ${MAX_SYNTH_PROMPT_TOKENS} tokens by turn ${turn + 1}; ` +
      "use fewer turns or shorter lengths",
  );
}

/** Independent random streams, one per knob, so changing one knob's distribution leaves the others' draws alone. */
const STREAM = { arrivals: 1, turns: 2, groups: 3, isl: 4, osl: 5, think: 6 } as const;

/** Milliseconds rounded to the microsecond, so the JSONL stays short and re-reads to the same double. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * A synthetic workload as TraceColumns (the same values `trace synth` writes; replay's synthetic mode uses
 * them without a file). `overrides` are applied over the preset, if any, and the defaults, then validated.
 *
 * Sessions start at the arrival process's times. A session picks a prefix group (Zipf) when groups exist; its
 * first prompt is the group's prefix followed by ISL new tokens, and turn k+1's prompt is turn k's prompt +
 * turn k's response + ISL new tokens, arriving think-time after turn k's timestamp (a lower bound: the
 * replay releases it think-time after turn k completes). Hash ids: a block lying wholly inside the group prefix
 * gets the group's id for that position; a block lying wholly inside the previous turn's prompt keeps that
 * turn's id; every other block gets a fresh id. So two rows share id k at position i only if they share every
 * token of blocks 0..i.
 */
export function synthesizeTrace(overrides: Partial<SynthSpec> = {}, preset?: SynthPresetName): TraceColumns {
  return generateTrace(resolveSynthSpec(overrides, preset));
}

/** Generates from an already resolved and validated spec. */
export function generateTrace(spec: SynthSpec): TraceColumns {
  const root = new Prng(spec.seed);
  const arrivals = new ArrivalProcess(
    spec.arrival,
    spec.burstinessCv,
    spec.rateProfile,
    root.fork(STREAM.arrivals),
  );
  const turnSampler = new DistributionSampler(spec.turns, COUNT_DOMAIN, root.fork(STREAM.turns));
  const islSampler = new DistributionSampler(spec.isl, COUNT_DOMAIN, root.fork(STREAM.isl));
  const oslSampler = new DistributionSampler(spec.osl, COUNT_DOMAIN, root.fork(STREAM.osl));
  const thinkSampler = new DistributionSampler(spec.thinkTimeMs, TIME_DOMAIN, root.fork(STREAM.think));
  const groups =
    spec.prefixGroups > 0
      ? new ZipfSampler(spec.prefixGroups, spec.zipfExponent, root.fork(STREAM.groups))
      : null;

  const block = spec.traceBlockSize;
  const prefixBlocks = groups === null ? 0 : Math.floor(spec.prefixTokens / block);
  const prefixTokens = groups === null ? 0 : spec.prefixTokens;
  // Duration mode may overshoot the cap by one row, which is how it notices the cap.
  const limit = spec.requests ?? MAX_SYNTH_REQUESTS + 1;
  const durationMs = spec.durationS === null ? Number.POSITIVE_INFINITY : spec.durationS * 1000;
  const rows = new RowBuffer(Math.min(limit, 1 << 16));
  // Provisional ids: group g's prefix block i is g·prefixBlocks + i; fresh ids follow.
  let nextFreshId = spec.prefixGroups * prefixBlocks;
  let sessionCount = 0;

  while (rows.count < limit) {
    const startMs = roundMs(arrivals.nextMs());
    if (startMs === Number.POSITIVE_INFINITY) {
      if (spec.requests === null) break;
      throw new InputError(
        `trace synth: --rate-profile ends at 0 req/s: only ${rows.count} of ${spec.requests} requests fit; ` +
          "use --duration or a non-zero final rate",
      );
    }
    if (startMs >= durationMs) break;
    const turns = Math.min(turnSampler.sample(), limit - rows.count);
    const group = groups === null ? -1 : groups.sample();
    const sessionTag = turns > 1 ? sessionCount : -1;
    sessionCount++;

    let timestampMs = startMs;
    let prevInput = 0;
    let prevOutput = 0;
    let prevStart = 0;
    for (let k = 0; k < turns; k++) {
      const newTokens = islSampler.sample();
      const outputTokens = oslSampler.sample();
      if (outputTokens > MAX_SYNTH_PROMPT_TOKENS) {
        throw new InputError(
          `trace synth: --osl: a sample of ${outputTokens} tokens is longer than ${MAX_SYNTH_PROMPT_TOKENS} tokens; ` +
            "lower the OSL (or cap it: lognormal:MEAN:SD:MAX)",
        );
      }
      let delayMs = Number.NaN;
      let inputTokens: number;
      if (k === 0) {
        inputTokens = prefixTokens + newTokens;
      } else {
        delayMs = roundMs(thinkSampler.sample());
        timestampMs = roundMs(timestampMs + delayMs);
        inputTokens = prevInput + prevOutput + newTokens;
      }
      if (inputTokens > MAX_SYNTH_PROMPT_TOKENS) throw promptTooLong(k, inputTokens, prefixTokens);
      const blocks = Math.ceil(inputTokens / block);
      const kept = k === 0 ? prefixBlocks : Math.floor(prevInput / block);
      const start = rows.reserveHashes(blocks);
      const ids = rows.hashIds;
      for (let i = 0; i < kept; i++) {
        ids[start + i] = k === 0 ? group * prefixBlocks + i : (ids[prevStart + i] as number);
      }
      for (let i = kept; i < blocks; i++) ids[start + i] = nextFreshId++;
      rows.pushRow(timestampMs, inputTokens, outputTokens, sessionTag, delayMs, blocks);
      prevInput = inputTokens;
      prevOutput = outputTokens;
      prevStart = start;
    }
  }
  if (rows.count > MAX_SYNTH_REQUESTS) {
    throw new InputError(
      `trace synth: --duration: the workload would exceed ${MAX_SYNTH_REQUESTS} requests; shorten it or lower the rate`,
    );
  }
  if (rows.count === 0) {
    throw new InputError(
      `trace synth: --duration: no session arrives within ${spec.durationS} s at this rate`,
    );
  }
  return finalizeRows(rows, nextFreshId, block);
}
