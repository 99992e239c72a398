import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deadRunDirs, isProcessAlive, runDirPrefix, strayEntries } from "./support/temp-dir-kit.js";

const TEMP_VARS = ["TMPDIR", "TMP", "TEMP"] as const;

/**
 * One temp dir for the whole run, removed at the end, and a check that the system temp dir is left as found.
 *
 * Tests create their files with `mkdtempSync(join(tmpdir(), ...))`; `os.tmpdir()` reads TMPDIR, so pointing
 * TMPDIR at the run dir here, before vitest forks its test processes (they copy this process's environment when
 * they start), puts every test's files, the CLI processes and worker threads they start, npm and Chromium under
 * it. TMP and TEMP follow for tools that read those instead. The run dir stays under the system temp dir rather
 * than in the checkout so that a package installed there by a test cannot resolve the checkout's node_modules.
 */
export default function setup(): () => void {
  const systemTmp = tmpdir();
  for (const name of deadRunDirs(readdirSync(systemTmp), isProcessAlive)) {
    rmSync(join(systemTmp, name), { recursive: true, force: true });
  }
  const before = new Set(readdirSync(systemTmp));
  const runDir = mkdtempSync(join(systemTmp, runDirPrefix(process.pid)));
  const saved = TEMP_VARS.map((name) => [name, process.env[name]] as const);
  for (const name of TEMP_VARS) process.env[name] = runDir;
  // At exit, not in the teardown: vitest keeps its own transform cache in the system temp dir (made before any
  // global setup runs) and removes it only after the teardowns.
  process.once("exit", () => checkSystemTempDir(systemTmp, before));

  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  };
}

/**
 * Fails the run when the system temp dir gained entries: something wrote outside the run dir. Only in CI (CI
 * set: .ci/run has the machine to itself). Elsewhere other programs may write to the same temp dir meanwhile (a
 * desktop, a teammate's shell or test run on a shared machine) and nothing tells whose an entry is, so the
 * entries are listed as a note instead.
 */
function checkSystemTempDir(systemTmp: string, before: ReadonlySet<string>): void {
  const stray = strayEntries(before, readdirSync(systemTmp), process.pid, isProcessAlive);
  if (stray.length === 0) return;
  const message =
    `the system temp dir ${systemTmp} gained ${stray.length} entries during the test run: ${stray.join(", ")} ` +
    "(tests must create temp files under os.tmpdir(), which points into the run's temp dir)";
  if (process.env.CI !== undefined && process.env.CI !== "") {
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(
      `note: ${message}; outside CI they may be another program's, so this is not a failure\n`,
    );
  }
}
