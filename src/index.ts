// kvsim's public library API: every named export a user (or the thread pool, or the planner loop) needs.
// Explicit named exports only, grouped by layer; no `export *`.

// cli
export { runCli } from "./cli/main.js";
// util
export { AtomicFileWriter, writeFileAtomic } from "./util/atomic-write.js";
export { InputError, inputErrorAt, isInputError } from "./util/errors.js";
export { defaultTracePath, packageRoot } from "./util/package-root.js";
