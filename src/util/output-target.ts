import type * as nodeFs from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * What writing to an output path means:
 *
 *   replace  a regular file (or none yet): write a temporary sibling, rename it over `file`. A symlink is
 *            followed first, so the link's target is replaced and the link stays a link.
 *   through  a device, FIFO or socket (/dev/null, /dev/full, a named pipe): open it and write in place —
 *            renaming a regular file over a device node would destroy the node.
 *   fd       `-`, /dev/stdout, /dev/stderr, /dev/fd/N: write to that already-open descriptor; reopening it
 *            would truncate a file the shell redirected stdout to.
 */
export type OutputTarget =
  | { readonly kind: "replace"; readonly file: string; readonly mode: number | null }
  | { readonly kind: "through"; readonly file: string }
  | { readonly kind: "fd"; readonly fd: number };

export type TargetFs = Pick<typeof nodeFs, "statSync" | "lstatSync" | "readlinkSync" | "realpathSync">;

/** Linux's limit on symlinks followed while resolving one path. */
const MAX_LINK_HOPS = 40;

const STD_ALIAS = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/;

function descriptorOf(path: string): number | null {
  if (path === "-" || path === "/dev/stdout") return 1;
  if (path === "/dev/stderr") return 2;
  const match = STD_ALIAS.exec(path);
  return match === null ? null : Number(match[1]);
}

export function resolveOutputTarget(path: string, fs: TargetFs): OutputTarget {
  const fd = descriptorOf(path);
  if (fd !== null) return { kind: "fd", fd };
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (stat !== undefined) {
    if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (!stat.isFile()) return { kind: "through", file: path };
    return { kind: "replace", file: fs.realpathSync(path), mode: stat.mode & 0o7777 };
  }
  return { kind: "replace", file: danglingLinkTarget(path, fs), mode: null };
}

/** Where a path that does not exist yet will be created: through a dangling symlink to the file it names. */
function danglingLinkTarget(path: string, fs: TargetFs): string {
  let at = path;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const link = fs.lstatSync(at, { throwIfNoEntry: false });
    if (link === undefined || !link.isSymbolicLink()) return at;
    at = resolve(dirname(at), fs.readlinkSync(at, "utf8"));
  }
  throw Object.assign(new Error("too many symbolic links"), { code: "ELOOP" });
}
