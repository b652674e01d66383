import type { Config } from "@libsql/client/web";
import type { DatabaseConfig } from "./config.js";

/**
 * The libSQL client options every skiff database uses, web or Node: the URL, the token when there is one, and
 * `intMode: "number"`, so rows serialise to JSON without BigInt surprises (ids beyond 2^53 throw instead). `extra`
 * adds what one client needs on top (the Node client's busy timeout).
 *
 * @example
 * ```ts
 * createClient(libsqlClientOptions({ url: "libsql://shop-acme.turso.io", authToken: token }));
 * createClient(libsqlClientOptions({ url: "file:.skiff/dev.db" }, { timeout: 5_000 }));
 * ```
 */
export function libsqlClientOptions(config: DatabaseConfig, extra: Partial<Config> = {}): Config {
  const base: Config =
    config.authToken === undefined
      ? { url: config.url, intMode: "number" }
      : { url: config.url, authToken: config.authToken, intMode: "number" };
  return { ...base, ...extra };
}

/**
 * The local path a `file:` URL opens, percent-decoded as the libSQL client does (a space is `%20`), or `undefined`
 * for remote and in-memory databases. Node-only callers create its folder before the first query.
 *
 * @example
 * ```ts
 * databaseFilePath("file:.skiff/my%20app.db") // ".skiff/my app.db"
 * databaseFilePath("libsql://shop-acme.turso.io") // undefined
 * ```
 */
export function databaseFilePath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  const raw = url.slice("file:".length).split("?")[0] ?? "";
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = raw;
  }
  return path && path !== ":memory:" ? path : undefined;
}
