import {
  LibsqlError,
  type InArgs,
  type InStatement,
  type ResultSet,
  type Transaction,
  type TransactionMode,
} from "@libsql/client/web";
import { runStatement, sqliteError, toParams, type BunSqliteStatement } from "./bun-sqlite-values.js";

/**
 * The part of a `bun:sqlite` `Database` (one connection) the backend uses; declared here, since skiff ships no
 * Bun types. The Bun adapter opens them with the real constructor from `bun:sqlite`.
 *
 * @example
 * ```ts
 * const connection: BunSqliteConnection = new BunDatabase(path, { create: true, strict: true, safeIntegers: true });
 * connection.run("PRAGMA journal_mode = WAL");
 * ```
 */
export interface BunSqliteConnection {
  query(sql: string): BunSqliteStatement;
  run(sql: string): unknown;
  readonly inTransaction: boolean;
  close(throwOnError?: boolean): void;
}

/**
 * Opens one connection to `path` (`:memory:` for an in-memory database) with `create`, `strict` (named
 * parameters without prefix) and `safeIntegers` (integers as bigint, so none is silently rounded).
 *
 * @example
 * ```ts
 * const open: BunSqliteOpen = (path) => new BunDatabase(path, { create: true, strict: true, safeIntegers: true });
 * ```
 */
export type BunSqliteOpen = (path: string) => BunSqliteConnection;

/**
 * @internal The statement that opens a transaction of each libSQL mode. libSQL's `BEGIN TRANSACTION READONLY` is
 * not SQLite syntax; a deferred transaction that only reads is the same.
 *
 * @example
 * ```ts
 * execute(connection, { sql: BEGIN.write }); // BEGIN IMMEDIATE
 * ```
 */
export const BEGIN: Record<TransactionMode, string> = {
  write: "BEGIN IMMEDIATE",
  read: "BEGIN DEFERRED",
  deferred: "BEGIN DEFERRED",
};

/**
 * @internal A libSQL statement in any of its shapes (a string with optional args, `{ sql, args }`, `[sql, args]`)
 * as `{ sql, args }`.
 *
 * @example
 * ```ts
 * statementOf(["SELECT ?", [1]]); // { sql: "SELECT ?", args: [1] }
 * ```
 */
export function statementOf(
  stmt: InStatement | [string, InArgs?],
  args?: InArgs,
): { sql: string; args?: InArgs } {
  if (typeof stmt === "string") return args === undefined ? { sql: stmt } : { sql: stmt, args };
  if (Array.isArray(stmt)) return stmt[1] === undefined ? { sql: stmt[0] } : { sql: stmt[0], args: stmt[1] };
  return stmt;
}

/**
 * @internal Runs one statement on a connection; a failure is the `LibsqlError` libSQL would throw (a
 * `LibsqlBatchError` naming the statement when `statementIndex` is given).
 *
 * @example
 * ```ts
 * const result = execute(connection, { sql: "SELECT ? AS n", args: [1] });
 * ```
 */
export function execute(
  connection: BunSqliteConnection,
  stmt: { sql: string; args?: InArgs },
  statementIndex?: number,
): ResultSet {
  try {
    return runStatement(connection.query(stmt.sql), toParams(stmt.args));
  } catch (error) {
    throw sqliteError(error, statementIndex);
  }
}

/**
 * @internal Runs `stmts` in order, inside `begin ... COMMIT` when `begin` is given (rolled back on the first
 * failure): all or none. bun:sqlite is synchronous, so nothing else runs on the connection in between.
 *
 * @example
 * ```ts
 * runBatch(connection, [{ sql: "INSERT INTO t VALUES (1)" }], BEGIN.write);
 * ```
 */
export function runBatch(
  connection: BunSqliteConnection,
  stmts: ReadonlyArray<{ sql: string; args?: InArgs }>,
  begin: string | undefined,
): ResultSet[] {
  if (begin) execute(connection, { sql: begin });
  try {
    const results = stmts.map((stmt, i) => execute(connection, stmt, i));
    if (begin) execute(connection, { sql: "COMMIT" });
    return results;
  } catch (error) {
    if (begin && connection.inTransaction) connection.run("ROLLBACK");
    throw error;
  }
}

/**
 * @internal An interactive transaction on a connection of its own: `release` gives the connection back (rolled
 * back if still open) once it is committed, rolled back or closed.
 *
 * @example
 * ```ts
 * const tx = new BunSqliteTransaction(connection, () => pool.release(connection));
 * ```
 */
export class BunSqliteTransaction implements Transaction {
  #closed = false;
  constructor(
    private readonly connection: BunSqliteConnection,
    private readonly release: () => void,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  #open(): BunSqliteConnection {
    if (this.#closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return this.connection;
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    return execute(this.#open(), statementOf(stmt));
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return runBatch(
      this.#open(),
      stmts.map((s) => statementOf(s)),
      undefined,
    );
  }

  async executeMultiple(sql: string): Promise<void> {
    try {
      this.#open().run(sql);
    } catch (error) {
      throw sqliteError(error);
    }
  }

  async commit(): Promise<void> {
    execute(this.#open(), { sql: "COMMIT" });
    this.close();
  }

  async rollback(): Promise<void> {
    if (this.#closed) return;
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.release();
  }
}
