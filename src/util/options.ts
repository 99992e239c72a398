// Options objects of the library's constructors: what a caller leaves out takes the documented default, and what
// would otherwise turn into a silent NaN deep inside a run (a misspelt key, a missing or non-finite number) is a
// TypeError or RangeError naming the constructor, the field and the rule.

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return String(value);
}

/**
 * The caller's fields that are not undefined (undefined means "use the default"). A key outside `known` (usually
 * a typo) is a TypeError, as is an options value that is not an object; undefined or null means no fields.
 */
export function definedFields<T extends object>(
  input: unknown,
  known: readonly string[],
  where: string,
): Partial<T> {
  const out: Record<string, unknown> = {};
  if (input === undefined || input === null) return out as Partial<T>;
  if (typeof input !== "object" || Array.isArray(input)) {
    throw new TypeError(`${where}: options must be an object (got ${describeValue(input)})`);
  }
  for (const [key, value] of Object.entries(input)) {
    if (!known.includes(key))
      throw new TypeError(`${where}: unknown option "${key}" (known: ${known.join(", ")})`);
    if (value !== undefined) out[key] = value;
  }
  return out as Partial<T>;
}

/** `defaults` overlaid with the caller's defined fields (see definedFields). */
export function withDefaults<T extends object>(defaults: T, input: unknown, where: string): T {
  return { ...defaults, ...definedFields<T>(input, Object.keys(defaults), where) };
}

/** Throws a RangeError unless `value` is a finite number ≥ `min`. */
export function checkFiniteAtLeast(where: string, field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new RangeError(
      `${where}: ${field} must be a finite number >= ${min} (got ${describeValue(value)})`,
    );
  }
  return value;
}

/** Throws a RangeError unless `value` is an integer ≥ `min`. */
export function checkIntegerAtLeast(where: string, field: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${where}: ${field} must be an integer >= ${min} (got ${describeValue(value)})`);
  }
  return value;
}

/** Throws a TypeError unless `value` is a boolean. */
export function checkBoolean(where: string, field: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(`${where}: ${field} must be true or false (got ${describeValue(value)})`);
  }
  return value;
}

/** Throws a TypeError naming the first of `fields` that `options` lacks (required options with no default). */
export function requireFields(options: unknown, fields: readonly string[], where: string): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError(`${where}: options must be an object (got ${describeValue(options)})`);
  }
  for (const field of fields) {
    if ((options as Record<string, unknown>)[field] === undefined) {
      throw new TypeError(`${where}: options.${field} is required`);
    }
  }
}
