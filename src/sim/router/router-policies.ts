import { InputError, quotedChoices } from "../../util/errors.js";
import { RandomRouter, RoundRobinRouter } from "./baseline-routers.js";
import { KvRouter, type KvRouterOptions } from "./kv-router.js";
import type { Router } from "./router.js";

/**
 * The router policies kvsim simulates, one entry each. `--router-mode` and a sweep grid's `router_modes`
 * accept exactly these names (their choices, help text and errors are derived from this list), and the cluster
 * builds every stage's router through `create`. A new policy is its Router class plus one entry here.
 */

/** What one stage's router may use: the stage's KV router config, its engines' sizes, the trace, the seed. */
export type RouterContext = KvRouterOptions;

export interface RouterPolicy {
  /** The `--router-mode` / `router_modes` value. */
  readonly name: string;
  /** Other names accepted by `--router-mode` for this policy (the reference's spelling). */
  readonly aliases: readonly string[];
  /**
   * Keeps a prefix index fed by the engines' KV events: its admissions carry cache overlaps (the planner's
   * traffic hit rate) and its index can be checked against the engines' caches (--check-invariants).
   */
  readonly usesPrefixIndex: boolean;
  create(context: RouterContext): Router;
}

export const ROUTER_POLICIES = [
  {
    name: "kv",
    aliases: ["kv_router"],
    usesPrefixIndex: true,
    create: (c) => new KvRouter(c),
  },
  {
    name: "round_robin",
    aliases: [],
    usesPrefixIndex: false,
    create: (c) => new RoundRobinRouter({ blockSize: c.blockSize, requests: c.requests }),
  },
  {
    name: "random",
    aliases: [],
    usesPrefixIndex: false,
    create: (c) => new RandomRouter({ blockSize: c.blockSize, requests: c.requests, rng: c.rng }),
  },
] as const satisfies readonly RouterPolicy[];

export type RouterMode = (typeof ROUTER_POLICIES)[number]["name"];

/** Every policy name, in the registry's order (help text, grid validation). */
export const ROUTER_MODES: readonly [RouterMode, ...RouterMode[]] = [
  ROUTER_POLICIES[0].name,
  ...ROUTER_POLICIES.slice(1).map((p) => p.name),
];

export const DEFAULT_ROUTER_MODE: RouterMode = "kv";

/** `must be "kv", "round_robin" or "random"`: the rule every router-mode error states. */
export const ROUTER_MODE_RULE = `must be ${quotedChoices(ROUTER_MODES)}`;

export function routerPolicy(mode: RouterMode): RouterPolicy {
  return ROUTER_POLICIES.find((p) => p.name === mode) as RouterPolicy;
}

/** A policy name or alias → its name; anything else is an InputError naming `label`. */
export function parseRouterMode(text: string, label: string): RouterMode {
  const policy = ROUTER_POLICIES.find(
    (p) => p.name === text || (p.aliases as readonly string[]).includes(text),
  );
  if (policy === undefined) throw new InputError(`${label}: ${ROUTER_MODE_RULE} (got "${text}")`);
  return policy.name;
}
