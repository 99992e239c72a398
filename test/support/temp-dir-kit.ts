// The test run's temp dir: one directory under the system temp dir, named after the vitest process that owns it
// (kvsim-test-<pid>-XXXXXX), into which every test process writes (TMPDIR points at it); and the check that the
// run left the system temp dir as it found it.

const RUN_DIR_PATTERN = /^kvsim-test-(\d+)-/;

/** The mkdtemp prefix of the run dir of the test run in process `pid`. */
export function runDirPrefix(pid: number): string {
  return `kvsim-test-${pid}-`;
}

/** The pid of the test run that owns an entry named like a run dir, or null for any other name. */
export function runDirOwner(name: string): number | null {
  const match = RUN_DIR_PATTERN.exec(name);
  return match === null ? null : Number(match[1]);
}

/** True while process `pid` exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Entries the system temp dir gained during a run: names in `after` that were not in `before`, except the run
 * dirs of other test runs still alive (a concurrent `npm test` in another checkout on a shared machine; each run
 * checks and removes its own). This run's own dir counts: it must be gone by the time of the check.
 */
export function strayEntries(
  before: ReadonlySet<string>,
  after: readonly string[],
  ownPid: number,
  isAlive: (pid: number) => boolean,
): string[] {
  return after
    .filter((name) => {
      if (before.has(name)) return false;
      const owner = runDirOwner(name);
      return owner === null || owner === ownPid || !isAlive(owner);
    })
    .sort();
}

/** Run dirs left by test runs that died before their teardown (killed, out of memory): safe to remove. */
export function deadRunDirs(names: readonly string[], isAlive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const owner = runDirOwner(name);
    return owner !== null && !isAlive(owner);
  });
}
