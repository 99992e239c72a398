import type { CommandMain } from "./io.js";

export interface CommandEntry {
  /** Words that select the command, e.g. ["trace", "stats"]. */
  readonly words: readonly string[];
  readonly summary: string;
  /** Loaded lazily so `kvsim --help` and small commands start fast. */
  readonly load: () => Promise<CommandMain>;
}

/** Every CLI command. Add one line per command; the module exports `main: CommandMain`. */
export const COMMANDS: readonly CommandEntry[] = [];
