/**
 * camelCase → snake_case, for result files written from TypeScript objects: every upper-case letter starts a new
 * lower-case word (`observedTtftMs` → `observed_ttft_ms`, `timestampS` → `timestamp_s`); digits stay attached.
 * The type and the function agree, so a JSON schema can be the snake-cased form of the object it is written from.
 */

/** The snake_case form of a camelCase name (tail-recursive, so long names do not hit the depth limit). */
export type SnakeCase<S extends string, Done extends string = ""> = S extends `${infer C}${infer Rest}`
  ? SnakeCase<Rest, `${Done}${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}`>
  : Done;

/** T with every key of every plain object in it snake-cased (arrays and nested objects included). */
export type SnakeCased<T> = T extends readonly (infer E)[]
  ? readonly SnakeCased<E>[]
  : T extends object
    ? { readonly [K in keyof T as K extends string ? SnakeCase<K> : K]: SnakeCased<T[K]> }
    : T;

export function snakeCase<S extends string>(name: S): SnakeCase<S> {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as SnakeCase<S>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A copy of `value` with every plain object's keys snake-cased, in their original order. */
export function snakeCasedKeys<T>(value: T): SnakeCased<T> {
  if (Array.isArray(value)) return value.map(snakeCasedKeys) as SnakeCased<T>;
  if (!isPlainObject(value)) return value as SnakeCased<T>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[snakeCase(key)] = snakeCasedKeys(value[key]);
  return out as SnakeCased<T>;
}
