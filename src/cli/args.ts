import { type ParseArgsConfig, parseArgs } from "node:util";
import { InputError } from "../util/errors.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** node:util parseArgs in strict mode, with its errors turned into one-line InputErrors (exit 2). */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
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

export function parseNumberText(label: string, raw: string, rule: NumberRule = {}): number {
  const text = raw.trim();
  const value = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InputError(`${label}: "${raw}" is not a finite number`);
  if (rule.integer === true && !Number.isInteger(value))
    throw new InputError(`${label}: ${raw} is not an integer`);
  if (rule.min !== undefined) {
    if (rule.exclusiveMin === true ? value <= rule.min : value < rule.min) {
      throw new InputError(`${label}: ${raw} must be ${rule.exclusiveMin === true ? ">" : ">="} ${rule.min}`);
    }
  }
  if (rule.max !== undefined && value > rule.max)
    throw new InputError(`${label}: ${raw} must be <= ${rule.max}`);
  return value;
}
