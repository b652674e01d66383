import type { LogSink } from "../../src/logger.js";

/**
 * What a redacted value is replaced with, in every line `logger()` and {@link redactingSink} write.
 *
 * @example
 * ```ts
 * expect(line.requestHeaders.authorization).toBe(REDACTED);
 * ```
 */
export const REDACTED = "[REDACTED]";

/**
 * Names redacted wherever they appear, whatever the options say: credentials a request carries (`Authorization`,
 * `Proxy-Authorization`, `Cookie`) and the session a response hands out (`Set-Cookie`).
 *
 * @example
 * ```ts
 * ALWAYS_REDACTED.includes("cookie"); // true
 * ```
 */
export const ALWAYS_REDACTED: readonly string[] = Object.freeze([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);

// Deep enough for any log line a person writes; the bound also stops cycles.
const MAX_DEPTH = 8;

/** @internal A function that copies a value with every field named in `names` (case-insensitive) redacted. */
export type Scrubber = <T>(value: T) => T;

/** @internal Builds the scrubber for a list of names (plus {@link ALWAYS_REDACTED}). */
export function scrubber(names: readonly string[] = []): Scrubber {
  const redacted = new Set([...ALWAYS_REDACTED, ...names.map((n) => n.toLowerCase())]);
  const scrub = (value: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
    // Only plain objects are walked: an Error, Date or class instance is serialised by the sink as it is.
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value))
      out[key] = redacted.has(key.toLowerCase()) ? REDACTED : scrub(v, depth + 1);
    return out;
  };
  return <T>(value: T) => scrub(value, 0) as T;
}

/** @internal Whether `name` is redacted by a scrubber built from `names`. */
export function isRedacted(name: string, names: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return ALWAYS_REDACTED.includes(lower) || names.some((n) => n.toLowerCase() === lower);
}

/**
 * Wraps a {@link LogSink} so that every record it receives has the named fields (at any depth, case-insensitive,
 * plus `authorization`, `cookie` and `set-cookie`) replaced by `"[REDACTED]"`. Give it to the app's runtime logger
 * so cron and queue lines, which never pass through the `logger()` middleware, are redacted the same way.
 *
 * @example
 * ```ts
 * const sink = redactingSink(consoleSink, ["password", "token"]);
 * const app = new Skiff({ log: { sink } }); // cron, queue and request lines all go through it
 * app.use(logger({ redact: ["password", "token"] }));
 * ```
 */
export function redactingSink(sink: LogSink, names: readonly string[] = []): LogSink {
  if (typeof sink !== "function")
    throw new TypeError("[skiff] redactingSink: sink must be a function (record) => void");
  checkNames(names, "redactingSink: names");
  const scrub = scrubber(names);
  return (record) => sink(scrub(record));
}

/** @internal Validates a list of field or header names given as an option. */
export function checkNames(names: unknown, option: string): asserts names is readonly string[] {
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string" || n.length === 0)) {
    throw new TypeError(`[skiff] ${option} must be an array of non-empty strings`);
  }
}
