import { InputError } from "../../util/errors.js";
import { definedFields } from "../../util/options.js";
import { DEFAULT_TRACE_BLOCK_SIZE, MAX_TRACE_BLOCK_SIZE } from "../columns.js";
import { ARRIVAL_KINDS, type ArrivalKind } from "./arrivals.js";
import {
  COUNT_DOMAIN,
  type Distribution,
  fixed,
  lognormal,
  TIME_DOMAIN,
  TURN_DOMAIN,
  validateDistribution,
} from "./distributions.js";
import { constantRate, MAX_SYNTH_TIME_S, type RateProfile, validateRateProfile } from "./rate-profile.js";
import { expectedSynthSize } from "./synth-size.js";

/**
 * Every knob of a synthetic workload. Field comments give the CLI flag and the default. Errors name the CLI
 * flag, so a library caller and a CLI user read the same message.
 */
export interface SynthSpec {
  /** --seed (42): same spec and seed → byte-identical output. Any finite number. */
  readonly seed: number;
  /** --requests: exactly this many rows (the last session may be cut short). Exclusive with durationS. */
  readonly requests: number | null;
  /** --duration (seconds): every session whose first turn arrives in [0, duration). Exclusive with requests. */
  readonly durationS: number | null;
  /** --rate R (1 req/s) or --rate-profile "0:2,600:12,1200:2": new sessions per second over time. */
  readonly rateProfile: RateProfile;
  /** --arrival (poisson): poisson | gamma | constant. */
  readonly arrival: ArrivalKind;
  /** --cv (1): coefficient of variation of gamma inter-arrival gaps (> 1 bursty, < 1 smooth). */
  readonly burstinessCv: number;
  /** --isl (lognormal:2048:1024): new prompt tokens per turn, after any shared prefix. */
  readonly isl: Distribution;
  /** --osl (lognormal:256:128): output tokens per request. */
  readonly osl: Distribution;
  /** --prefix-groups (0): number of shared-prefix groups; every session belongs to one. */
  readonly prefixGroups: number;
  /** --prefix-tokens (0): length of each group's shared prefix; its whole trace blocks are shared. */
  readonly prefixTokens: number;
  /** --zipf (1): group popularity exponent, P(group g) ∝ 1/(g+1)^s; 0 = uniform. */
  readonly zipfExponent: number;
  /** --turns (1): turns per session (a distribution of whole numbers ≥ 1). */
  readonly turns: Distribution;
  /** --think-time-ms (fixed:1000): delay between a turn's completion and the next turn's arrival. */
  readonly thinkTimeMs: Distribution;
  /** --trace-block-size (512): tokens per hash id. */
  readonly traceBlockSize: number;
}

export const DEFAULT_REQUEST_COUNT = 1000;
/** Upper bound on generated rows, so a typo in --duration or --rate cannot exhaust memory. */
export const MAX_SYNTH_REQUESTS = 50_000_000;

export const DEFAULT_SYNTH_SPEC: SynthSpec = {
  seed: 42,
  requests: null,
  durationS: null,
  rateProfile: constantRate(1),
  arrival: "poisson",
  burstinessCv: 1,
  isl: lognormal(2048, 1024),
  osl: lognormal(256, 128),
  prefixGroups: 0,
  prefixTokens: 0,
  zipfExponent: 1,
  turns: fixed(1),
  thinkTimeMs: fixed(1000),
  traceBlockSize: DEFAULT_TRACE_BLOCK_SIZE,
};

const SYNTH_SPEC_KEYS: readonly string[] = Object.keys(DEFAULT_SYNTH_SPEC);

/**
 * Named starting points; explicit knobs override them.
 *
 * shared-prefix: 2000 requests at 4 req/s (Poisson), 16 groups with a 4096-token (8-block) shared prefix and
 * Zipf(1) popularity, 1024 ± 512 new tokens, 256 ± 128 output tokens. With an infinite cache every request but
 * the first of its group reuses its 4096 prefix tokens of ≈ 4096 + 1024 prompt tokens:
 * (2000 − 16) · 4096 / (2000 · 5120) ≈ 79 % token reuse.
 */
export const SYNTH_PRESETS = {
  "shared-prefix": {
    requests: 2000,
    rateProfile: constantRate(4),
    arrival: "poisson",
    isl: lognormal(1024, 512),
    osl: lognormal(256, 128),
    prefixGroups: 16,
    prefixTokens: 4096,
    zipfExponent: 1,
    turns: fixed(1),
  },
} as const satisfies Record<string, Partial<SynthSpec>>;

export type SynthPresetName = keyof typeof SYNTH_PRESETS;

export function isSynthPresetName(name: string): name is SynthPresetName {
  return Object.hasOwn(SYNTH_PRESETS, name);
}

/**
 * Defaults ← preset ← overrides, then validated. With neither requests nor durationS: a multi-point rate
 * profile runs until its last point's time; a constant rate makes DEFAULT_REQUEST_COUNT requests.
 */
export function resolveSynthSpec(input: Partial<SynthSpec> = {}, preset?: SynthPresetName): SynthSpec {
  if (preset !== undefined && !isSynthPresetName(preset)) {
    throw new RangeError(
      `resolveSynthSpec: unknown preset ${JSON.stringify(preset)} (known: ${Object.keys(SYNTH_PRESETS).join(", ")})`,
    );
  }
  // Unknown keys are refused and undefined fields dropped here, so a misspelt knob cannot silently keep its default.
  const overrides = definedFields<SynthSpec>(input, SYNTH_SPEC_KEYS, "resolveSynthSpec");
  const base: Partial<SynthSpec> = preset === undefined ? {} : SYNTH_PRESETS[preset];
  const merged: SynthSpec = { ...DEFAULT_SYNTH_SPEC, ...base, ...overrides };
  const explicitRequests = overrides.requests ?? null;
  const explicitDuration = overrides.durationS ?? null;
  if (explicitRequests !== null && explicitDuration !== null)
    throw new InputError("trace synth: give --requests or --duration, not both");
  let requests = explicitRequests ?? (explicitDuration === null ? (base.requests ?? null) : null);
  let durationS = explicitDuration ?? (explicitRequests === null ? (base.durationS ?? null) : null);
  if (requests === null && durationS === null) {
    const last = merged.rateProfile[merged.rateProfile.length - 1];
    if (merged.rateProfile.length > 1 && last !== undefined) durationS = last.timeS;
    else requests = DEFAULT_REQUEST_COUNT;
  }
  const spec: SynthSpec = { ...merged, requests, durationS };
  validateSynthSpec(spec);
  return spec;
}

export function validateSynthSpec(spec: SynthSpec): void {
  const fail = (flag: string, rule: string): never => {
    throw new InputError(`trace synth: ${flag}: ${rule}`);
  };
  if (!Number.isFinite(spec.seed)) fail("--seed", `must be a finite number, got ${spec.seed}`);
  if (spec.requests !== null && spec.durationS !== null)
    fail("--requests", "give --requests or --duration, not both");
  if (spec.requests === null && spec.durationS === null) fail("--requests", "give --requests or --duration");
  if (spec.requests !== null) {
    if (!Number.isInteger(spec.requests) || spec.requests < 1 || spec.requests > MAX_SYNTH_REQUESTS)
      fail("--requests", `must be an integer in 1..${MAX_SYNTH_REQUESTS}, got ${spec.requests}`);
  }
  if (
    spec.durationS !== null &&
    !(Number.isFinite(spec.durationS) && spec.durationS > 0 && spec.durationS <= MAX_SYNTH_TIME_S)
  )
    fail("--duration", `must be a number of seconds in (0, ${MAX_SYNTH_TIME_S}], got ${spec.durationS}`);
  validateRateProfile("trace synth: --rate-profile", spec.rateProfile);
  if (!(ARRIVAL_KINDS as readonly string[]).includes(spec.arrival))
    fail("--arrival", `must be one of ${ARRIVAL_KINDS.join(", ")}, got "${spec.arrival}"`);
  if (!(Number.isFinite(spec.burstinessCv) && spec.burstinessCv > 0 && spec.burstinessCv <= 100))
    fail("--cv", `must be a number in (0, 100], got ${spec.burstinessCv}`);
  if (spec.arrival !== "gamma" && spec.burstinessCv !== 1)
    fail("--cv", `applies only to --arrival gamma (poisson has cv 1, constant cv 0)`);
  validateDistribution("trace synth: --isl", spec.isl, COUNT_DOMAIN);
  validateDistribution("trace synth: --osl", spec.osl, COUNT_DOMAIN);
  validateDistribution("trace synth: --turns", spec.turns, TURN_DOMAIN);
  validateDistribution("trace synth: --think-time-ms", spec.thinkTimeMs, TIME_DOMAIN);
  if (
    !Number.isInteger(spec.traceBlockSize) ||
    spec.traceBlockSize < 1 ||
    spec.traceBlockSize > MAX_TRACE_BLOCK_SIZE
  )
    fail(
      "--trace-block-size",
      `must be an integer in 1..${MAX_TRACE_BLOCK_SIZE}, got ${spec.traceBlockSize}`,
    );
  if (!Number.isInteger(spec.prefixGroups) || spec.prefixGroups < 0 || spec.prefixGroups > 1_000_000)
    fail("--prefix-groups", `must be an integer in 0..1000000, got ${spec.prefixGroups}`);
  if (!Number.isInteger(spec.prefixTokens) || spec.prefixTokens < 0 || spec.prefixTokens > 1 << 24)
    fail("--prefix-tokens", `must be an integer in 0..${1 << 24}, got ${spec.prefixTokens}`);
  if (spec.prefixGroups > 0 && spec.prefixTokens < spec.traceBlockSize)
    fail(
      "--prefix-tokens",
      `${spec.prefixTokens} is shorter than one trace block (${spec.traceBlockSize} tokens), so --prefix-groups would share nothing`,
    );
  if (spec.prefixGroups === 0 && spec.prefixTokens > 0)
    fail("--prefix-tokens", "needs --prefix-groups >= 1 (which sessions share the prefix?)");
  if (!(Number.isFinite(spec.zipfExponent) && spec.zipfExponent >= 0 && spec.zipfExponent <= 100))
    fail("--zipf", `must be a number in [0, 100], got ${spec.zipfExponent}`);
  // Refused before generating: the cap used to be noticed only after MAX_SYNTH_REQUESTS rows were in memory. The
  // 5 % margin leaves a workload whose expected size is just under the cap to the exact check in generateTrace.
  if (spec.durationS !== null) {
    const expected = expectedSynthSize(spec).rows;
    if (expected > MAX_SYNTH_REQUESTS * 1.05) {
      fail(
        "--duration",
        `${spec.durationS} s at this rate makes about ${Math.round(expected)} requests, more than the cap of ` +
          `${MAX_SYNTH_REQUESTS}; shorten it or lower the rate`,
      );
    }
  }
}
