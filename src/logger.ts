/**
 * Log levels in increasing severity. A logger drops lines below its configured level (`"info"` by default).
 *
 * @example
 * ```ts
 * const level: LogLevel = "debug";
 * const log = createLogger({ level });
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * One structured log line. `msg` and `level` are always present; everything else is context. `time` is an ISO 8601
 * timestamp, and a {@link LogSink} receives the record before anything serialises it.
 *
 * @example
 * ```ts
 * const record: LogRecord = { time: new Date().toISOString(), level: "info", msg: "order placed", orderId: "o1" };
 * ```
 */
export interface LogRecord {
  time: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

/**
 * Where log records go. The default writes one JSON line per record to the console. Set one with
 * `new Skiff({ log: { sink } })` and every line of routes, crons and queues goes there; a sink that throws is
 * ignored rather than failing the request.
 *
 * @example
 * ```ts
 * const lines: LogRecord[] = [];
 * const sink: LogSink = (record) => { lines.push(record); };
 * export const app = new Skiff({ log: { sink } });
 * ```
 */
export type LogSink = (record: LogRecord) => void;

/**
 * A structured logger: one JSON object per line, with fields inherited through `child()`. The same logger reaches
 * routes (`c.var.log`), cron and queue handlers (`ctx.log`), so every line of one request or message can carry its
 * id.
 *
 * @example
 * ```ts
 * app.cron("0 9 * * *", async (event, ctx) => {
 *   ctx.log.info("report started", { scheduledTime: event.scheduledTime });
 * });
 * ```
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines all carry `fields` as well. */
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Options of {@link createLogger}. The same options, given as `new Skiff({ log })`, configure the runtime logger
 * behind `c.var.log` and `ctx.log` on every platform.
 *
 * @example
 * ```ts
 * export const app = new Skiff({ log: { level: "debug", fields: { service: "shop" } } });
 * ```
 */
export interface LoggerOptions {
  /** Lines below this level are dropped. Default `"info"`. */
  level?: LogLevel;
  /** Where lines go. Default: `console.log` of the JSON line (`console.error` for errors). */
  sink?: LogSink;
  /** Fields added to every line. */
  fields?: Record<string, unknown>;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The default sink: a JSON line on stdout, errors on stderr (Workers, Vercel and Lambda all collect both).
 *
 * @example
 * ```ts
 * const log = createLogger({ sink: consoleSink });
 * ```
 */
export const consoleSink: LogSink = (record) => {
  const line = jsonLine(record);
  if (record.level === "error") console.error(line);
  else console.log(line);
};

/**
 * Creates a {@link Logger}. Errors passed as fields are flattened to `{ name, message, stack }` so they survive
 * JSON; bigints become strings.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: "debug", fields: { service: "shop" } });
 * log.child({ requestId: "r1" }).info("hello"); // {"time":"…","level":"info","msg":"hello","service":"shop","requestId":"r1"}
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? "info"];
  const sink = options.sink ?? consoleSink;
  const make = (base: Record<string, unknown>): Logger => {
    const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < min) return;
      try {
        sink({ time: new Date().toISOString(), level, msg, ...base, ...fields });
      } catch {
        // A broken sink must never take a request or a message down with it.
      }
    };
    return {
      debug: (msg, fields) => write("debug", msg, fields),
      info: (msg, fields) => write("info", msg, fields),
      warn: (msg, fields) => write("warn", msg, fields),
      error: (msg, fields) => write("error", msg, fields),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/**
 * @internal The JSON line of a record, as the default sink writes it: errors as `{ name, message, stack }`, bigints
 * as strings. Sinks that write lines elsewhere (the Node server's buffered stdout) use it so the line is the same.
 *
 * @example
 * ```ts
 * jsonLine({ time: "2026-12-01T00:00:00.000Z", level: "info", msg: "hi", n: 1n }); // '{"time":…,"n":"1"}'
 * ```
 */
export function jsonLine(record: LogRecord): string {
  return JSON.stringify(record, jsonSafe);
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
