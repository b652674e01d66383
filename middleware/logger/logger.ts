import type { Context, MiddlewareHandler } from "hono";
import { createLogger, type LogLevel, type Logger, type LogSink } from "../../src/logger.js";
import type { SkiffVariables } from "../../src/types.js";
import { checkNames, isRedacted, REDACTED, scrubber, type Scrubber } from "./redact.js";

/**
 * Context variables set by {@link logger}: `c.var.log`, a logger whose lines carry the request id and go to the
 * same sink as the request line.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: LoggerVariables }>().use(logger());
 * app.get("/", (c) => { c.var.log.info("hello"); return c.text("ok") });
 * ```
 */
export interface LoggerVariables {
  log: Logger;
}

/**
 * Options of {@link logger}.
 *
 * @example
 * ```ts
 * logger({ level: "info", redact: ["x-api-key", "token"], requestHeaders: ["user-agent", "x-api-key"], query: true });
 * ```
 */
export interface LoggerMiddlewareOptions {
  /**
   * Where lines go. Default: the app's runtime logger (`new Skiff({ log: { sink } })`), which also writes the
   * core's cron and queue lines, so everything shares one sink; on a plain Hono app, JSON lines on the console.
   */
  sink?: LogSink;
  /** Lines below this level are dropped (on top of the runtime logger's own level). Default `"info"`. */
  level?: LogLevel;
  /** Fields added to every line this middleware and `c.var.log` write (the request line and handler lines). */
  fields?: Record<string, unknown>;
  /**
   * Header, query parameter and log field names (case-insensitive) whose values are replaced by `"[REDACTED]"`,
   * in the request line and in every `c.var.log` line. `Authorization`, `Proxy-Authorization`, `Cookie` and
   * `Set-Cookie` are always redacted.
   */
  redact?: readonly string[];
  /** Request headers to include in the request line (`requestHeaders`): a list of names, or `true` for all. Default none. */
  requestHeaders?: readonly string[] | boolean;
  /** Response headers to include in the request line (`responseHeaders`): a list of names, or `true` for all. Default none. */
  responseHeaders?: readonly string[] | boolean;
  /** Include the query parameters in the request line (`query`). Default false: query strings often carry tokens. */
  query?: boolean;
  /** Requests for which no request line is written (health checks). `c.var.log` is still set. */
  skip?: (c: Context) => boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const LEVELS = Object.keys(RANK) as LogLevel[];

/**
 * Writes one JSON line per request: `time`, `level` (`error` for 5xx, `warn` for 4xx, else `info`), `msg:
 * "request"`, `requestId` (when {@link requestId} ran, before or after this middleware), `method`, `path`,
 * `status`, `durationMs`, `platform`, and `coldStart` (true on the first request this middleware sees in an isolate
 * or process, which is what a cold start is on Workers, Lambda and Vercel). It also sets `c.var.log` to a logger
 * that adds the request id to every line a handler writes and redacts the configured fields.
 *
 * Lines go to the app's runtime logger unless `sink` is given, so by default the request lines, handler lines and
 * the core's cron and queue lines (outcome, attempts) all reach the one sink configured with
 * `new Skiff({ log: { sink } })`. Register it after {@link requestId} and before everything else, so rejections by
 * later middleware (401, 413, 429) are logged too. `durationMs` is time to the response headers: a streamed body
 * may still be flowing. On Workers the clock only advances across I/O, so CPU-only work reads as 0 ms.
 *
 * @example
 * ```ts
 * const app = new Skiff({ log: { level: "info", sink: redactingSink(consoleSink, ["password"]) } });
 * app.use(requestId(), logger({ redact: ["password"] }));
 * app.post("/login", async (c) => {
 *   c.var.log.info("login attempt", await c.req.json()); // {"msg":"login attempt","requestId":"…","password":"[REDACTED]",…}
 *   return c.body(null, 204);
 * });
 * ```
 */
export const logger = (
  options: LoggerMiddlewareOptions = {},
): MiddlewareHandler<{ Variables: LoggerVariables }> => {
  const {
    sink,
    level = "info",
    fields,
    redact = [],
    requestHeaders = false,
    responseHeaders = false,
    query = false,
    skip,
  } = options;
  if (sink !== undefined && typeof sink !== "function")
    throw new TypeError("[skiff] logger: sink must be a function (record) => void");
  if (!LEVELS.includes(level))
    throw new TypeError(
      `[skiff] logger: level must be one of ${LEVELS.join(", ")} (got ${JSON.stringify(level)})`,
    );
  if (fields !== undefined && (typeof fields !== "object" || fields === null))
    throw new TypeError("[skiff] logger: fields must be an object");
  checkNames(redact, "logger: redact");
  if (typeof requestHeaders !== "boolean") checkNames(requestHeaders, "logger: requestHeaders");
  if (typeof responseHeaders !== "boolean") checkNames(responseHeaders, "logger: responseHeaders");
  if (typeof query !== "boolean") throw new TypeError("[skiff] logger: query must be a boolean");
  if (skip !== undefined && typeof skip !== "function")
    throw new TypeError("[skiff] logger: skip must be a function (c) => boolean");

  const scrub = scrubber(redact);
  const min = RANK[level];
  // The request line's own keys are redacted only when the options name one of them; the nested query and header
  // objects are redacted as they are built, so the common case skips a copy of the line.
  const scrubLine = redact.some((name) => LINE_KEYS.has(name.toLowerCase()));
  // With a sink, one logger for the life of the isolate; without, each request uses the runtime's (per platform).
  const own = sink ? createLogger({ sink, level, ...(fields ? { fields } : {}) }) : undefined;
  const fallback = createLogger({ level, ...(fields ? { fields } : {}) });
  // The runtime logger is one per isolate or process: its child with `fields` is made once, not per request.
  let runtimeLog: Logger | undefined;
  let runtimeChild: Logger | undefined;
  const baseOf = (c: Context): Logger => {
    if (own) return own;
    const log = variable<Logger>(c, "log");
    if (!log) return fallback;
    if (!fields) return log;
    if (log !== runtimeLog) [runtimeLog, runtimeChild] = [log, log.child(fields)];
    return runtimeChild ?? log;
  };
  // Closure state, not per-request state: the first request through this instance is the cold start.
  let warm = false;

  return async function logger(c, next) {
    const coldStart = !warm;
    warm = true;
    const started = performance.now();
    const base = baseOf(c);
    c.set("log", new RequestLogger(base, min, scrub, c));

    let thrown = false;
    try {
      await next();
    } catch (error) {
      thrown = true; // only when onError itself failed; Hono's compose otherwise turns errors into c.res
      throw error;
    } finally {
      if (!skip?.(c)) {
        const status = thrown ? 500 : c.res.status;
        const lineLevel: LogLevel = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
        // Filtered before anything is built: a dropped line costs nothing.
        if (RANK[lineLevel] >= min) {
          // Read now, so the id is there even when requestId() is registered after logger().
          const id = variable<unknown>(c, "requestId");
          const method = c.req.method;
          const path = c.req.path;
          const durationMs = Math.round(performance.now() - started);
          let line: Record<string, unknown> =
            typeof id === "string"
              ? { requestId: id, method, path, status, durationMs, coldStart }
              : { method, path, status, durationMs, coldStart };
          const platform = variable<SkiffVariables["platform"]>(c, "platform");
          if (platform) line.platform = platform;
          if (query) line.query = redactQuery(c.req.url, redact);
          if (requestHeaders) line.requestHeaders = pickHeaders(c.req.raw.headers, requestHeaders, redact);
          if (responseHeaders && !thrown)
            line.responseHeaders = pickHeaders(c.res.headers, responseHeaders, redact);
          if (scrubLine) line = scrub(line);
          base[lineLevel]("request", line);
        }
      }
    }
  };
};

// Keys of the request line itself (the nested query and headers are redacted where they are built).
const LINE_KEYS = new Set([
  "requestid",
  "method",
  "path",
  "status",
  "durationms",
  "coldstart",
  "platform",
  "query",
  "requestheaders",
  "responseheaders",
]);

// `c.get()`, not `c.var`: Hono builds a fresh object of every variable on each `c.var` access.
function variable<T>(c: Context, name: string): T | undefined {
  return (c.get as (key: string) => unknown)(name) as T | undefined;
}

type Write = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * `c.var.log`: filters by level, redacts, and adds the request id to every line, children included. One small
 * object per request; its methods are bound on first use only, so a handler that never logs costs no closures
 * and `const { info } = c.var.log` still works.
 */
class RequestLogger implements Logger {
  readonly #base: Logger;
  readonly #min: number;
  readonly #scrub: Scrubber;
  readonly #c: Context;
  #bound: Partial<Record<LogLevel | "child", Write | Logger["child"]>> | undefined;

  constructor(base: Logger, min: number, scrub: Scrubber, c: Context) {
    this.#base = base;
    this.#min = min;
    this.#scrub = scrub;
    this.#c = c;
  }

  get debug(): Write {
    return this.#method("debug");
  }
  get info(): Write {
    return this.#method("info");
  }
  get warn(): Write {
    return this.#method("warn");
  }
  get error(): Write {
    return this.#method("error");
  }
  get child(): Logger["child"] {
    const bound = (this.#bound ??= {});
    return (bound.child ??= (fields: Record<string, unknown>) =>
      new RequestLogger(
        this.#base.child(this.#scrub(fields)),
        this.#min,
        this.#scrub,
        this.#c,
      )) as Logger["child"];
  }

  #method(level: LogLevel): Write {
    const bound = (this.#bound ??= {});
    return (bound[level] ??= (msg: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < this.#min) return;
      // Read per line, so the id is there even when requestId() is registered after logger().
      const id = variable<unknown>(this.#c, "requestId");
      const scrubbed = fields ? this.#scrub(fields) : undefined;
      this.#base[level](msg, typeof id === "string" ? { requestId: id, ...scrubbed } : { ...scrubbed });
    }) as Write;
  }
}

function pickHeaders(
  headers: Headers,
  which: readonly string[] | true,
  redact: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const wanted = which === true ? undefined : new Set(which.map((n) => n.toLowerCase()));
  headers.forEach((value, name) => {
    if (!wanted || wanted.has(name)) out[name] = isRedacted(name, redact) ? REDACTED : value;
  });
  return out;
}

function redactQuery(url: string, redact: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, raw] of new URL(url).searchParams) {
    const value = isRedacted(name, redact) ? REDACTED : raw;
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
