/**
 * Errors a user can fix (bad input, impossible config). The CLI prints the message on one line and exits 2;
 * anything else is a bug and keeps its stack trace.
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** `file:line: field "x": rule` — the one-line shape every input error takes. */
export function inputErrorAt(
  file: string,
  line: number | null,
  field: string | null,
  rule: string,
): InputError {
  const where = line === null ? file : `${file}:${line}`;
  const what = field === null ? rule : `field "${field}": ${rule}`;
  return new InputError(`${where}: ${what}`);
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/** `"a", "b" or "c"`: the choices of a closed list, as error messages and help text name them. */
export function quotedChoices(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  const last = quoted.pop();
  if (last === undefined) return "";
  return quoted.length === 0 ? last : `${quoted.join(", ")} or ${last}`;
}
