import { readFileSync } from "node:fs";
import { InputError } from "../util/errors.js";
import { parseYamlText } from "../util/yaml-text.js";

/** True for the text of a JSON scalar: null, true, false, a number or a quoted string. */
function isJsonScalar(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value === null || typeof value !== "object";
  } catch {
    return false;
  }
}

/**
 * A flag whose value is inline JSON (starts with `{` or `[`) or the path of a JSON/YAML file. Returns the parsed
 * value; errors name the flag (and the file).
 */
export function readJsonOrFile(value: string | undefined, flag: string): unknown {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new InputError(`${flag}: not valid JSON (${(error as Error).message})`);
    }
  }
  let content: string;
  try {
    content = readFileSync(text, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    // `--engine-args null` (or 5, true, "x") is JSON, just not an object: say so rather than "no such file".
    if (code === "ENOENT" && isJsonScalar(text)) {
      throw new InputError(
        `${flag}: ${text} is not a JSON object; pass inline JSON ({"key": value, ...}) or a JSON/YAML file`,
      );
    }
    throw new InputError(`${flag}: cannot read "${text}" (${code}); pass inline JSON or a JSON/YAML file`);
  }
  if (/\.ya?ml$/i.test(text)) return parseYamlText(content, `${flag}: ${text}`).value;
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new InputError(`${flag}: ${text}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
}
