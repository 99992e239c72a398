import { type ParseArgsConfig, parseArgs } from "node:util";
import { InputError } from "../util/errors.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** A negative number as a flag value: `-1`, `-0.5`, `-.5`, `-1e3`. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * node:util parseArgs refuses `--num-workers -1` as "ambiguous" (the value looks like an option). A string
 * option followed by a negative number takes it as its value (`--num-workers=-1`), so the range check can say
 * what is wrong with it.
 */
function joinNegativeValues(argv: readonly string[], options: OptionSpec): string[] {
  const shortNames = new Map<string, string>();
  for (const [name, spec] of Object.entries(options))
    if (spec.short !== undefined) shortNames.set(spec.short, name);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = arg.startsWith("--")
      ? arg.slice(2)
      : /^-[^-]$/.test(arg)
        ? shortNames.get(arg.slice(1))
        : undefined;
    if (
      name !== undefined &&
      options[name]?.type === "string" &&
      next !== undefined &&
      NEGATIVE_NUMBER.test(next)
    ) {
      out.push(`${arg.startsWith("--") ? arg : `--${name}`}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** node:util parseArgs in strict mode, with its errors turned into one-line InputErrors (exit 2). */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    const first = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    // node:util appends a hint about "--" to unknown options; the command's --help is the useful pointer.
    const message = first.replace(/\. To specify a positional argument.*$/, "");
    throw new InputError(`kvsim ${command}: ${message} (see kvsim ${command} --help)`);
  }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** True when the bound `min` itself is not allowed (e.g. ratios > 0). */
  readonly exclusiveMin?: boolean;
}

/** Parse a numeric option strictly: the whole string must be a finite number obeying the rule. */
export function numberOption(
  args: ParsedArgs,
  name: string,
  fallback: number,
  rule: NumberRule = {},
): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  return parseNumberText(`--${name}`, raw, rule);
}

/**
 * Decimal notation only (`12`, `-0.5`, `1e3`): not `0x10`, `0o7`, `0b1`, `Infinity` or an empty string, which
 * Number() would also accept. An integer flag takes any decimal notation of an integer (`16`, `1e3`).
 */
const DECIMAL_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** `>= 1`, `<= 256`, `in 1..256` (integers) or `in (0, 10]` (numbers): a rule's range as messages write it. */
export function describeRange(rule: NumberRule): string {
  const { min, max } = rule;
  const open = rule.exclusiveMin === true;
  if (min !== undefined && max !== undefined) {
    return rule.integer === true && !open ? `in ${min}..${max}` : `in ${open ? "(" : "["}${min}, ${max}]`;
  }
  if (min !== undefined) return `${open ? ">" : ">="} ${min}`;
  if (max !== undefined) return `<= ${max}`;
  return "finite";
}

export function parseNumberText(label: string, raw: string, rule: NumberRule = {}): number {
  const text = raw.trim();
  const integer = rule.integer === true;
  const value = DECIMAL_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) {
    const range = rule.min === undefined && rule.max === undefined ? "" : `; must be ${describeRange(rule)}`;
    throw new InputError(`${label}: "${raw}" is not a finite decimal number${range}`);
  }
  if (integer && !Number.isInteger(value)) throw new InputError(`${label}: ${raw} is not an integer`);
  const belowMin =
    rule.min !== undefined && (rule.exclusiveMin === true ? value <= rule.min : value < rule.min);
  const aboveMax = rule.max !== undefined && value > rule.max;
  if (belowMin || aboveMax) throw new InputError(`${label}: ${raw} must be ${describeRange(rule)}`);
  return value;
}
