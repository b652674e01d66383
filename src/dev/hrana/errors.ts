import type { HranaError } from "./protocol.js";

/**
 * The whole HTTP request is rejected (bad JSON, unknown baton, missing token): it becomes an HTTP error with a JSON
 * `{ message, code }` body, which `@libsql/hrana-client` turns into a `LibsqlError` carrying `code`.
 *
 * @example
 * ```ts
 * throw new HranaRequestError(400, "BATON_INVALID", "[skiff] unknown or already used baton");
 * ```
 */
export class HranaRequestError extends Error {
  override name = "HranaRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message.startsWith("[skiff]") ? message : `[skiff] ${message}`);
  }
}

/**
 * One request of a pipeline (or one batch step) failed; the stream and the other requests go on. `busy` marks a
 * lock conflict that is worth retrying.
 *
 * @example
 * ```ts
 * throw new HranaStmtError("ARGS_INVALID", "Arguments do not match SQL parameters: expected 2, got 1");
 * ```
 */
export class HranaStmtError extends Error {
  override name = "HranaStmtError";
  constructor(
    readonly code: string,
    message: string,
    readonly busy = false,
  ) {
    super(message);
  }

  /** The protocol form of this error. */
  toHrana(): HranaError {
    return { message: this.message, code: this.code };
  }
}

// Base result codes, named as sqld names them (libsql-server/src/hrana/stmt.rs `sqlite_error_code`). sqld sends only
// the base code, so a UNIQUE violation is `SQLITE_CONSTRAINT` on Turso, and the client has no field for the
// extended one. Generic SQLITE_ERROR has no name there and comes out as SQLITE_UNKNOWN; we keep that, so code that
// branches on codes behaves the same locally and in production.
// prettier-ignore
const BASE_CODES: Record<number, string> = {
  2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED", 7: "SQLITE_NOMEM",
  8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT", 12: "SQLITE_NOTFOUND",
  13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL", 17: "SQLITE_SCHEMA", 18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE", 22: "SQLITE_NOLFS", 23: "SQLITE_AUTH",
  25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
};
const SQLITE_BUSY = 5;
const SQLITE_BUSY_SNAPSHOT = 517; // a stale read snapshot: waiting cannot fix it, only a rollback can

/**
 * Turns whatever the libSQL driver threw into a {@link HranaStmtError}. Errors while compiling the statement
 * (syntax, unknown table) become `SQL_INPUT_ERROR`, like sqld; errors while running it get the SQLite base code.
 *
 * @example
 * ```ts
 * try { db.prepare(sql) } catch (e) { throw sqliteToStmtError(e, "prepare") }
 * ```
 */
export function sqliteToStmtError(error: unknown, phase: "prepare" | "execute"): HranaStmtError {
  if (error instanceof HranaStmtError) return error;
  const raw = sqliteRawCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (raw === undefined) return new HranaStmtError("INTERNAL", `[skiff] the database failed: ${message}`);
  const base = raw & 0xff;
  if (phase === "prepare" && base === 1)
    return new HranaStmtError("SQL_INPUT_ERROR", `SQL input error: ${message}`);
  const busy = base === SQLITE_BUSY && raw !== SQLITE_BUSY_SNAPSHOT;
  return new HranaStmtError(BASE_CODES[base] ?? "SQLITE_UNKNOWN", `SQLite error: ${message}`, busy);
}

/** The numeric SQLite result code on a libSQL driver error, if it is one. */
function sqliteRawCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { rawCode, code } = error as { rawCode?: unknown; code?: unknown };
  if (typeof rawCode === "number" && typeof code === "string" && code.startsWith("SQLITE_")) return rawCode;
  return undefined;
}

/**
 * The protocol form of any error caught while serving a request: our own errors keep their code, anything else
 * is reported as `INTERNAL` with its message (this server is a local development tool, the detail helps).
 *
 * @example
 * ```ts
 * results.push({ type: "error", error: toHranaError(e) });
 * ```
 */
export function toHranaError(error: unknown): HranaError {
  if (error instanceof HranaStmtError) return error.toHrana();
  if (error instanceof HranaRequestError) return { message: error.message, code: error.code };
  return sqliteToStmtError(error, "execute").toHrana();
}
