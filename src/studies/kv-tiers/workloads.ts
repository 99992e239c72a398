// The KV-tiers study's three traces, built once on the main thread: the embedded Mooncake conversation trace, the
// Mooncake FAST'25 synthetic trace (../shared/traces next to the package, or a given path) and the seeded
// shared-prefix workload with many long prefixes (synthesised in memory).

import { synthesizeTrace } from "../../trace/synth/generate.js";
import { constantRate } from "../../trace/synth/rate-profile.js";
import { defaultTracePath } from "../../util/package-root.js";
import { requireMooncakeTrace } from "../study-traces.js";
import { mooncakeStudyWorkload, type NamedStudyWorkload, namedStudyWorkload } from "../study-workload.js";
import {
  KV_TIERS_WORKLOADS,
  type KvTiersWorkloadName,
  MOONCAKE_QUICK_REQUESTS,
  SHARED_PREFIX,
} from "./design.js";

export type KvTiersWorkload = NamedStudyWorkload<KvTiersWorkloadName>;

function mooncake(
  name: "conversation" | "synthetic",
  path: string,
  label: string,
  quick: boolean,
): KvTiersWorkload {
  return mooncakeStudyWorkload<KvTiersWorkloadName>(
    name,
    path,
    label,
    quick ? MOONCAKE_QUICK_REQUESTS[name] : null,
  );
}

function sharedPrefix(quick: boolean): KvTiersWorkload {
  const s = SHARED_PREFIX;
  const durationS = quick ? s.durationS.quick : s.durationS.full;
  const trace = synthesizeTrace(
    {
      seed: s.seed,
      durationS,
      rateProfile: constantRate(s.rateReqS),
      prefixGroups: s.prefixGroups,
      prefixTokens: s.prefixTokens,
    },
    "shared-prefix",
  );
  return namedStudyWorkload<KvTiersWorkloadName>(
    "shared-prefix",
    `kvsim trace synth --preset shared-prefix --prefix-groups ${s.prefixGroups} --prefix-tokens ` +
      `${s.prefixTokens} --rate ${s.rateReqS} --duration ${durationS} --seed ${s.seed}`,
    trace,
  );
}

/**
 * The selected workloads (default all three), in KV_TIERS_WORKLOADS order; fails before any work when the
 * Mooncake synthetic trace is needed and missing.
 */
export function buildKvTiersWorkloads(
  quick: boolean,
  mooncakeSyntheticPath: string,
  only: ReadonlySet<KvTiersWorkloadName> = new Set(KV_TIERS_WORKLOADS),
): KvTiersWorkload[] {
  if (only.has("synthetic")) requireMooncakeTrace("kv-tiers", mooncakeSyntheticPath);
  const build: Record<KvTiersWorkloadName, () => KvTiersWorkload> = {
    conversation: () =>
      mooncake("conversation", defaultTracePath(), "Mooncake conversation trace (embedded)", quick),
    synthetic: () => mooncake("synthetic", mooncakeSyntheticPath, "Mooncake FAST'25 synthetic trace", quick),
    "shared-prefix": () => sharedPrefix(quick),
  };
  return KV_TIERS_WORKLOADS.filter((name) => only.has(name)).map((name) => build[name]());
}
