// Slow, obviously-correct references for the trace tests: JSON.parse per line, plain objects and arrays,
// no byte tricks. They serve as oracles; they are not used by kvsim itself.
import type { TraceColumns } from "../../src/trace/columns.js";

export interface RefRow {
  line: number;
  arrivalMs: number;
  inputTokens: number;
  outputTokens: number;
  hashIds: number[];
  session: string | null;
  delayMs: number; // NaN when absent
}

const LIMIT = 2 ** 53;

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v < 2 ** 32;
}
function isMillis(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 && v < LIMIT;
}
function pick(o: Record<string, unknown>, name: string, alias: string): unknown {
  return name in o ? o[name] : o[alias];
}

/** Rows of a valid trace (throws on the first invalid line, with its line number). */
export function referenceRows(text: string, blockSize = 512): RefRow[] {
  const rows: RefRow[] = [];
  let lastMs = Number.NEGATIVE_INFINITY;
  const seenSessions = new Set<string>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    const o = JSON.parse(raw) as Record<string, unknown>;
    const ts = pick(o, "timestamp", "created_time");
    const input = pick(o, "input_length", "input_tokens");
    const output = pick(o, "output_length", "output_tokens");
    const ids = o.hash_ids;
    const delayRaw = o.delay ?? o.delay_ms ?? null;
    const sid = o.session_id ?? null;
    const ok =
      isMillis(ts) &&
      isCount(input) &&
      isCount(output) &&
      Array.isArray(ids) &&
      ids.every((h) => typeof h === "number" && Number.isInteger(h) && h >= 0 && h < LIMIT) &&
      ids.length === Math.ceil(input / blockSize) &&
      (delayRaw === null || isMillis(delayRaw)) &&
      (sid === null || typeof sid === "string" || (typeof sid === "number" && Number.isInteger(sid))) &&
      ts >= lastMs;
    if (!ok) throw new Error(`reference: line ${line} is invalid`);
    const session = sid === null ? null : String(sid);
    const delayMs = delayRaw === null ? Number.NaN : (delayRaw as number);
    const first = session === null || !seenSessions.has(session);
    if (first && !Number.isNaN(delayMs) && delayMs !== 0)
      throw new Error(`reference: line ${line} first-turn delay`);
    if (session !== null) seenSessions.add(session);
    lastMs = ts;
    rows.push({
      line,
      arrivalMs: ts,
      inputTokens: input,
      outputTokens: output,
      hashIds: ids as number[],
      session,
      delayMs,
    });
  });
  return rows;
}

/** TraceColumns → plain rows, for comparing with the reference. */
export function columnsToRows(t: TraceColumns): RefRow[] {
  const rows: RefRow[] = [];
  for (let i = 0; i < t.count; i++) {
    const s = t.sessionIndex[i] as number;
    rows.push({
      line: t.sourceLine[i] as number,
      arrivalMs: t.arrivalMs[i] as number,
      inputTokens: t.inputTokens[i] as number,
      outputTokens: t.outputTokens[i] as number,
      hashIds: Array.from(t.hashIds.subarray(t.hashOffsets[i] as number, t.hashOffsets[i + 1] as number)),
      session: s < 0 ? null : (t.sessionNames[s] as string),
      delayMs: t.delayMs[i] as number,
    });
  }
  return rows;
}

/** Every column as plain arrays (NaN-safe deep equality with toEqual). */
export function columnsSnapshot(t: TraceColumns) {
  return {
    count: t.count,
    traceBlockSize: t.traceBlockSize,
    arrivalMs: Array.from(t.arrivalMs),
    inputTokens: Array.from(t.inputTokens),
    outputTokens: Array.from(t.outputTokens),
    hashOffsets: Array.from(t.hashOffsets),
    hashIds: Array.from(t.hashIds),
    sessionIndex: Array.from(t.sessionIndex),
    sessionNames: [...t.sessionNames],
    delayMs: Array.from(t.delayMs),
    sourceLine: Array.from(t.sourceLine),
    sourceChecksum: t.sourceChecksum,
  };
}

/** Infinite-cache reuse and shape statistics, computed the long way (sorted arrays, a JS Set). */
export function referenceStats(rows: RefRow[], blockSize = 512) {
  const seen = new Set<number>();
  let reusedBlocks = 0;
  let blocks = 0;
  let reusedTokens = 0;
  let tokens = 0;
  let fractions = 0;
  for (const r of rows) {
    let lead = 0;
    while (lead < r.hashIds.length && seen.has(r.hashIds[lead] as number)) lead++;
    for (const h of r.hashIds) seen.add(h);
    reusedBlocks += lead;
    blocks += r.hashIds.length;
    // a fully reused request reuses all its tokens; otherwise `lead` whole blocks
    reusedTokens += lead === r.hashIds.length ? r.inputTokens : lead * blockSize;
    tokens += r.inputTokens;
    fractions += lead / r.hashIds.length;
  }
  const n = rows.length;
  const dist = (values: number[]) => {
    const s = [...values].sort((a, b) => a - b);
    const at = (p: number) => s[Math.floor(((n - 1) * p) / 100 + 0.5)] as number;
    return {
      mean: values.reduce((a, b) => a + b, 0) / n,
      p50: at(50),
      p90: at(90),
      p99: at(99),
      max: s[n - 1],
    };
  };
  const times = rows.map((r) => r.arrivalMs);
  const span = (Math.max(...times) - Math.min(...times)) / 1000;
  return {
    requests: n,
    span_s: span,
    rate_rps: span > 0 ? n / span : null,
    isl: dist(rows.map((r) => r.inputTokens)),
    osl: dist(rows.map((r) => r.outputTokens)),
    unique_hash_ids: seen.size,
    reuse: { blocks: reusedBlocks / blocks, per_request_mean: fractions / n, tokens: reusedTokens / tokens },
  };
}

/** A CliIo that records what a command writes. */
export function memoryIo() {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    ({
      write: (s: string) => {
        into.push(s);
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  return {
    io: { stdout: sink(out), stderr: sink(err), env: { CI: "1" } },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

/** Byte-for-byte equality of two traces' columns (fast on large traces; NaN delays compare by their bits). */
export function sameColumns(a: TraceColumns, b: TraceColumns): string[] {
  const diffs: string[] = [];
  const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const keys = [
    "arrivalMs",
    "inputTokens",
    "outputTokens",
    "hashOffsets",
    "hashIds",
    "sessionIndex",
    "delayMs",
    "sourceLine",
  ] as const;
  for (const k of keys) {
    if (a[k].constructor !== b[k].constructor || !bytes(a[k]).equals(bytes(b[k]))) diffs.push(k);
  }
  if (a.count !== b.count) diffs.push("count");
  if (a.traceBlockSize !== b.traceBlockSize) diffs.push("traceBlockSize");
  if (a.sourceChecksum !== b.sourceChecksum) diffs.push("sourceChecksum");
  if (JSON.stringify(a.sessionNames) !== JSON.stringify(b.sessionNames)) diffs.push("sessionNames");
  return diffs;
}
