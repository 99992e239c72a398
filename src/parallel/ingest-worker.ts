import { closeSync, openSync } from "node:fs";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { parseJsonlRange } from "../trace/jsonl-range.js";
import { type IngestReply, type IngestTask, replyBuffers } from "./ingest-protocol.js";

/**
 * Piscina worker entry (runs compiled: dist/src/parallel/ingest-worker.js). Parses one byte range of a JSONL
 * trace into columns and hands them back by transfer, not by copy.
 */
export default function ingestRange(task: IngestTask): ReturnType<typeof move> {
  const fd = openSync(task.path, "r");
  let reply: IngestReply;
  try {
    const progress = task.progress;
    let done = 0;
    reply = parseJsonlRange(
      { kind: "fd", fd },
      task.start,
      task.end,
      { traceBlockSize: task.traceBlockSize, lenient: task.lenient },
      progress === null
        ? undefined
        : (bytes) => {
            done += bytes.length;
            Atomics.store(progress, task.progressSlot, Math.floor(done / 2 ** 20));
          },
    );
  } finally {
    closeSync(fd);
  }
  return move({
    get [transferableSymbol]() {
      return replyBuffers(reply);
    },
    get [valueSymbol]() {
      return reply;
    },
  });
}
