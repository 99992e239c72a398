#!/usr/bin/env node
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isInputError } from "../util/errors.js";
import { outputFailure } from "../util/output-failure.js";
import { packageRoot } from "../util/package-root.js";
import { COMMANDS, type CommandEntry } from "./commands.js";
import { type CliIo, processIo } from "./io.js";

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.words.join(" ").length), 8);
  const lines = COMMANDS.map((c) => `  kvsim ${c.words.join(" ").padEnd(width)}  ${c.summary}`);
  return [
    "kvsim — simulator and KV-reuse-aware autoscaling planner for LLM inference clusters",
    "",
    "Usage:",
    ...lines,
    "",
    "Run `kvsim <command> --help` for a command's options.",
    "",
  ].join("\n");
}

function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: readonly string[] } | null {
  let best: CommandEntry | null = null;
  for (const entry of COMMANDS) {
    const matches = entry.words.every((w, i) => argv[i] === w);
    if (matches && (best === null || entry.words.length > best.words.length)) best = entry;
  }
  return best === null ? null : { entry: best, rest: argv.slice(best.words.length) };
}

/** Runs one CLI invocation and returns its exit code; never throws for bad input (exit 2, one line). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout.write(usage());
    return 0;
  }
  if (argv[0] === "--version") {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string };
    io.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (found === null) {
    io.stderr.write(`kvsim: unknown command "${argv.join(" ")}" (see kvsim --help)\n`);
    return 2;
  }
  try {
    const main = await found.entry.load();
    return await main(found.rest, io);
  } catch (error) {
    if (isInputError(error)) {
      // Messages that already name their command ("kvsim replay: …") are printed as they are.
      const line = error.message.startsWith("kvsim ") ? error.message : `kvsim: ${error.message}`;
      io.stderr.write(`${line}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

/** True when this file is the process entry (node dist/src/cli/main.js, or the `kvsim` bin symlink to it). */
function isProcessEntry(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Exit status of a program killed by SIGPIPE (128 + 13), which is what a C tool reports to `set -o pipefail`. */
const EXIT_BROKEN_PIPE = 141;

/**
 * A failed write to standard output (`> /dev/full`, a full disk) ends the run with one line and exit 2, not an
 * unhandled 'error' event; a reader that went away (`| head`) ends it quietly, as SIGPIPE ends a C tool.
 */
function exitOnStdoutError(error: unknown): void {
  if ((error as { code?: unknown } | null)?.code === "EPIPE") process.exit(EXIT_BROKEN_PIPE);
  const failure = outputFailure("standard output", error);
  const message = failure instanceof Error ? failure.message : String(failure);
  process.stderr.write(`kvsim: ${message.split("\n")[0]}\n`);
  process.exit(2);
}

const invokedDirectly = isProcessEntry();
if (invokedDirectly) {
  process.stdout.on("error", exitOnStdoutError);
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `kvsim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
