import { ConfigError } from "../../errors.js";

/**
 * Where the database is and how to authenticate: a libSQL URL (`libsql://`, `https://`, or `file:` where there is a
 * filesystem) and, for Turso, an auth token. {@link resolveDatabaseConfig} builds one from the platform env.
 *
 * @example
 * ```ts
 * const config: DatabaseConfig = { url: "libsql://shop-acme.turso.io", authToken: token };
 * const db = new Database(() => createClient(config));
 * ```
 */
export interface DatabaseConfig {
  url: string;
  authToken?: string;
}

/**
 * Reads `TURSO_DATABASE_URL` and `TURSO_AUTH_TOKEN` from a platform env and checks the URL for the runtime:
 * edge runtimes (Workers, Vercel Edge) reach libSQL over HTTP only, so a `file:` URL is refused there with a
 * message that says what to use instead. `fallbackUrl` applies when the variable is unset (Node's embedded file);
 * `missing` replaces the advice given when it is unset and there is no fallback, so each platform says where its
 * users set the variable.
 *
 * @example
 * ```ts
 * const { url, authToken } = resolveDatabaseConfig(env, { allowFile: false }); // Workers
 * const local = resolveDatabaseConfig(process.env, { allowFile: true, fallbackUrl: "file:.skiff/dev.db" });
 * const lambda = resolveDatabaseConfig(process.env, { allowFile: true, missing: "set it in the function's environment" });
 * ```
 */
export function resolveDatabaseConfig(
  env: Record<string, unknown>,
  options: { allowFile: boolean; fallbackUrl?: string; missing?: string },
): DatabaseConfig {
  const raw = env.TURSO_DATABASE_URL;
  const url = typeof raw === "string" && raw.trim() ? raw.trim() : options.fallbackUrl;
  if (!url) {
    throw new ConfigError(
      `TURSO_DATABASE_URL is not set: ${options.missing ?? "set it to your database URL (libsql://<db>-<org>.turso.io), or locally to a libSQL HTTP endpoint (serveHrana from skiff/local)"}`,
      { variable: "TURSO_DATABASE_URL" },
    );
  }
  let scheme: string;
  try {
    scheme = new URL(url).protocol.slice(0, -1);
  } catch {
    scheme = url.startsWith("file:") ? "file" : "";
  }
  if (scheme === "file" || url === ":memory:") {
    if (!options.allowFile) {
      throw new ConfigError(
        `TURSO_DATABASE_URL is "${url}", but this runtime has no filesystem: use an http(s):// or libsql:// URL (locally, a libSQL HTTP endpoint such as serveHrana from skiff/local)`,
        { variable: "TURSO_DATABASE_URL" },
      );
    }
  } else if (!["libsql", "http", "https", "ws", "wss"].includes(scheme)) {
    throw new ConfigError(
      `TURSO_DATABASE_URL "${url}" is not a libSQL URL: expected libsql://, https://, http://${options.allowFile ? " or file:" : ""}`,
      { variable: "TURSO_DATABASE_URL" },
    );
  }
  const token = env.TURSO_AUTH_TOKEN;
  return typeof token === "string" && token ? { url, authToken: token } : { url };
}

/**
 * Refuses a `ws://` or `wss://` URL where skiff's libSQL client speaks HTTP only (Workers, Vercel Edge, Netlify,
 * Lambda, Cloud Run functions), with a message that says which URL to use instead; returns the config otherwise.
 *
 * @example
 * ```ts
 * createHttpClient(overHttp({ url: "libsql://shop-acme.turso.io" })); // a wss:// URL throws a ConfigError
 * ```
 */
export function overHttp(config: DatabaseConfig): DatabaseConfig {
  if (/^wss?:/i.test(config.url))
    throw new ConfigError(
      `TURSO_DATABASE_URL "${config.url}" is a WebSocket URL, and skiff reaches libSQL over HTTP here: use the same host with libsql:// or https://`,
      { variable: "TURSO_DATABASE_URL" },
    );
  return config;
}
