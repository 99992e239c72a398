import { extname } from "node:path";
import { writeKvtrace } from "../../trace/kvtrace.js";
import { InputError } from "../../util/errors.js";
import { flagOption, parseCommandArgs, stringOption } from "../args.js";
import type { CommandMain } from "../io.js";
import {
  expectAtMostOneFile,
  loadTrace,
  TRACE_INPUT_HELP,
  TRACE_INPUT_OPTIONS,
  traceInputSettings,
} from "../load-trace.js";

export const HELP = `Usage: kvsim trace compile [FILE] -o OUT.kvtrace [options]

Validate a Mooncake JSONL trace and compile it to the columnar FlatBuffers format (.kvtrace), which every
command reads as typed-array views without parsing. The output is written atomically: a bad input leaves no
file behind.

Output:
  -o, --output FILE       where to write (default: FILE with its extension replaced by .kvtrace)
  -q, --quiet             no summary line
  -h, --help              this help
${TRACE_INPUT_HELP}`;

const OPTIONS = {
  ...TRACE_INPUT_OPTIONS,
  output: { type: "string", short: "o" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

export const main: CommandMain = async (argv, io) => {
  const args = parseCommandArgs("trace compile", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(HELP);
    return 0;
  }
  expectAtMostOneFile("trace compile", args);
  const settings = traceInputSettings(args);
  const output = stringOption(args, "output") ?? defaultOutput(settings.path);
  const startMs = performance.now();
  const quiet = flagOption(args, "quiet");
  const trace = await loadTrace(settings, io, quiet);
  const bytes = writeKvtrace(output, trace.columns);
  if (!quiet) {
    const t = trace.columns;
    const seconds = (performance.now() - startMs) / 1000;
    io.stdout.write(
      `wrote ${output}: ${t.count} requests, ${t.hashIds.length} hash ids, ${t.sessionNames.length} sessions, ` +
        `${formatBytes(bytes)} in ${seconds.toFixed(2)} s\n`,
    );
  }
  return 0;
};

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function defaultOutput(input: string | null): string {
  if (input === null) {
    throw new InputError("kvsim trace compile: -o OUT is required when compiling the embedded default trace");
  }
  if (input === "-")
    throw new InputError("kvsim trace compile: -o OUT is required when compiling standard input");
  const ext = extname(input);
  const base = ext === "" ? input : input.slice(0, -ext.length);
  const out = `${base}.kvtrace`;
  if (out === input)
    throw new InputError(`kvsim trace compile: -o OUT is required (${input} is already .kvtrace)`);
  return out;
}
