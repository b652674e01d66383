import { writeSync } from "node:fs";
import type { LogRecord, LogSink } from "../../logger.js";
import { jsonLine } from "../../logger.js";

/** Past this many buffered bytes a stream is written at once rather than at the end of the event-loop turn. */
const HIGH_WATER = 64 * 1024;

interface Stream {
  fd: 1 | 2;
  write: (chunk: string) => void;
  lines: string[];
  bytes: number;
}

/**
 * A log sink for a Node server: the default sink's JSON lines (errors on stderr), written once per event-loop turn
 * instead of once per line. A server under load logs a line per request, and on Linux a write to a pipe or a file is
 * a synchronous system call each time; one write per turn carries every line of the requests that turn served.
 * Lines are formatted when logged (a record is never read later), nothing is written out of order, and what is
 * still buffered when the process exits is written synchronously then. `write` defaults to the process's own
 * stdout and stderr.
 *
 * @example
 * ```ts
 * const log = createLogger({ sink: bufferedStdoutSink() });
 * log.info("listening", { port: 8787 }); // written after this turn, with the turn's other lines
 * ```
 */
export function bufferedStdoutSink(write?: {
  out: (chunk: string) => void;
  err: (chunk: string) => void;
}): LogSink {
  if (!write) return (processSink ??= bufferedSink(PROCESS_STREAMS, true));
  return bufferedSink(write, false);
}

const PROCESS_STREAMS = {
  out: (chunk: string) => void process.stdout.write(chunk),
  err: (chunk: string) => void process.stderr.write(chunk),
};
// One per process for the process's own streams: every server of the process shares its stdout and its exit.
let processSink: LogSink | undefined;

function bufferedSink(
  write: { out: (chunk: string) => void; err: (chunk: string) => void },
  ownStreams: boolean,
): LogSink {
  const out: Stream = { fd: 1, write: write.out, lines: [], bytes: 0 };
  const err: Stream = { fd: 2, write: write.err, lines: [], bytes: 0 };
  let scheduled = false;
  const drain = (stream: Stream, writer: (chunk: string) => void) => {
    if (stream.lines.length === 0) return;
    const chunk = `${stream.lines.join("\n")}\n`;
    stream.lines = [];
    stream.bytes = 0;
    try {
      writer(chunk);
    } catch {
      // A closed stdout (EPIPE) must not take the server down; the lines have nowhere to go.
    }
  };
  const flush = () => {
    scheduled = false;
    drain(out, out.write);
    drain(err, err.write);
  };
  // process.exit() skips pending immediates: what is buffered is written synchronously on the way out.
  const onExit = () => {
    drain(out, (chunk) => writeSync(out.fd, chunk));
    drain(err, (chunk) => writeSync(err.fd, chunk));
  };
  let exitHooked = false;
  const sink: LogSink = (record: LogRecord) => {
    const stream = record.level === "error" ? err : out;
    const line = jsonLine(record);
    stream.lines.push(line);
    stream.bytes += line.length;
    if (ownStreams && !exitHooked) {
      exitHooked = true;
      process.once("exit", onExit);
    }
    if (stream.bytes >= HIGH_WATER) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return sink;
}
