import { fileURLToPath } from "node:url";
import { ConfigError } from "../../errors.js";

/**
 * The file path behind a libSQL `file:` URL (`file:data/app.db`, `file:///abs/app.db`) or a plain path. In-memory
 * databases are refused: every stream has its own connection, and each connection to `:memory:` would be a
 * separate, empty database.
 *
 * @example
 * ```ts
 * databasePath("file:data/app.db") // "data/app.db"
 * ```
 */
export function databasePath(url: string): string {
  const bad = (why: string) =>
    new ConfigError(`[skiff] serveHrana: url ${JSON.stringify(url)} ${why}`, { variable: "url" });
  if (url.trim() === "") throw bad("is empty; give a file: URL such as file:data/app.db");
  let path = url;
  if (/^file:/i.test(url)) {
    const withoutQuery = url.replace(/[?#].*$/, "");
    if (/^file:\/\//i.test(withoutQuery)) {
      try {
        path = fileURLToPath(withoutQuery);
      } catch (error) {
        throw bad(`is not a valid file URL (${(error as Error).message})`);
      }
    } else path = decodeURIComponent(withoutQuery.slice("file:".length));
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw bad("is not a file: URL; this server serves a local database file");
  }
  if (path === ":memory:" || path === "" || /mode=memory/i.test(url)) {
    throw bad("is an in-memory database; each stream has its own connection, so use a file");
  }
  return path;
}
