import {
  LibsqlError,
  type Client,
  type InArgs,
  type InStatement,
  type ResultSet,
  type Transaction,
  type TransactionMode,
} from "@libsql/client/web";
import { ConfigError } from "../../errors.js";
import {
  BEGIN,
  BunSqliteTransaction,
  execute,
  runBatch,
  statementOf,
  type BunSqliteConnection,
  type BunSqliteOpen,
} from "./bun-sqlite-connection.js";
import { sqliteError } from "./bun-sqlite-values.js";
import { databaseFilePath } from "./client-options.js";
import type { DatabaseConfig } from "./config.js";
import { Database } from "./database.js";

export type { BunSqliteConnection, BunSqliteOpen } from "./bun-sqlite-connection.js";

/**
 * A libSQL `Client` over `bun:sqlite` connections, so skiff's {@link Database} (and everything built on it: KV, the
 * durable queue, migrations) runs on Bun's built-in SQLite. Plain statements and batches run synchronously on one
 * shared connection; an interactive transaction gets a connection of its own for its lifetime (as
 * `@libsql/client`'s pool does), so statements of concurrent requests never land inside it. An in-memory database
 * exists on one connection only: there a second transaction at once is refused, as libSQL refuses it.
 *
 * @example
 * ```ts
 * const client = new BunSqliteClient("/srv/app/.skiff/dev.db", open);
 * await client.execute({ sql: "SELECT ?", args: [1] });
 * ```
 */
export class BunSqliteClient implements Client {
  readonly protocol = "file";
  readonly #path: string;
  readonly #open: BunSqliteOpen;
  readonly #idle: BunSqliteConnection[] = [];
  readonly #held = new Set<BunSqliteConnection>();
  #main: BunSqliteConnection | undefined;
  #closed = false;

  constructor(path: string, open: BunSqliteOpen) {
    this.#path = path;
    this.#open = open;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #connect(): BunSqliteConnection {
    const connection = this.#open(this.#path);
    // Concurrent writers (another connection, another process) wait up to 5 s instead of failing, as on Node.
    connection.run("PRAGMA busy_timeout = 5000");
    if (this.#path !== ":memory:") connection.run("PRAGMA journal_mode = WAL");
    return connection;
  }

  #shared(): BunSqliteConnection {
    if (this.#closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    this.#main ??= this.#connect();
    if (this.#held.has(this.#main))
      throw new LibsqlError(
        "This in-memory database has a single connection, which an open transaction is holding: commit or roll it back first",
        "TRANSACTION_ACTIVE",
      );
    return this.#main;
  }

  execute(stmt: InStatement, args?: InArgs): Promise<ResultSet>;
  execute(sql: string, args?: InArgs): Promise<ResultSet>;
  async execute(stmt: InStatement, args?: InArgs): Promise<ResultSet> {
    return execute(this.#shared(), statementOf(stmt, args));
  }

  async batch(
    stmts: Array<InStatement | [string, InArgs?]>,
    mode: TransactionMode = "deferred",
  ): Promise<ResultSet[]> {
    return runBatch(
      this.#shared(),
      stmts.map((s) => statementOf(s)),
      BEGIN[mode],
    );
  }

  // As libSQL's migrate(): the statements in one transaction with foreign keys off, then the setting restored.
  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    const connection = this.#shared();
    const before = connection.query("PRAGMA foreign_keys").values()[0]?.[0];
    connection.run("PRAGMA foreign_keys = OFF");
    try {
      return runBatch(
        connection,
        stmts.map((s) => statementOf(s)),
        BEGIN.deferred,
      );
    } finally {
      connection.run(`PRAGMA foreign_keys = ${Number(before) ? "ON" : "OFF"}`);
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    try {
      this.#shared().run(sql);
    } catch (error) {
      throw sqliteError(error);
    }
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    const connection = this.#lease();
    try {
      execute(connection, { sql: BEGIN[mode] });
    } catch (error) {
      this.#release(connection);
      throw error;
    }
    return new BunSqliteTransaction(connection, () => this.#release(connection));
  }

  // A transaction's connection: an idle one, a new one, or (in memory) the only one.
  #lease(): BunSqliteConnection {
    if (this.#closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    const connection = this.#path === ":memory:" ? this.#shared() : (this.#idle.pop() ?? this.#connect());
    this.#held.add(connection);
    return connection;
  }

  #release(connection: BunSqliteConnection): void {
    this.#held.delete(connection);
    if (connection.inTransaction) connection.run("ROLLBACK");
    if (this.#closed) connection.close(false);
    else if (connection !== this.#main) this.#idle.push(connection);
  }

  async sync(): Promise<undefined> {
    throw new LibsqlError(
      "sync() needs an embedded replica, which bun:sqlite databases are not",
      "SYNC_NOT_SUPPORTED",
    );
  }

  reconnect(): void {
    this.close();
    this.#closed = false;
  }

  close(): void {
    this.#closed = true;
    for (const connection of this.#idle.splice(0)) connection.close(false);
    if (this.#main && !this.#held.has(this.#main)) this.#main.close(false);
    this.#main = undefined;
  }
}

/**
 * A {@link Database} on Bun's built-in SQLite for a `file:` URL (or `:memory:`): the same API, migrations, KV and
 * durable queue as the libSQL client, several times faster on Bun (see docs/bun.md for the figures). `open` wraps
 * `bun:sqlite`'s constructor, passed in by the Bun adapter (this module imports nothing of Bun's). Nothing opens
 * before the first query, and the file's folder must exist by then. A remote URL is refused: use the libSQL web
 * client for Turso.
 *
 * @example
 * ```ts
 * const db = bunSqliteDatabase({ url: "file:/srv/app/.skiff/dev.db" }, { open });
 * await db.run(sql`CREATE TABLE IF NOT EXISTS t (x)`);
 * ```
 */
export function bunSqliteDatabase(config: DatabaseConfig, options: { open: BunSqliteOpen }): Database {
  const memory = config.url === ":memory:" || /^file::memory:/.test(config.url);
  const path = memory ? ":memory:" : databaseFilePath(config.url);
  if (!path)
    throw new ConfigError(
      `bun:sqlite opens file: databases only, not "${config.url}": use a file: URL, or the libSQL web client for a remote database`,
      { variable: "TURSO_DATABASE_URL" },
    );
  return new Database(() => new BunSqliteClient(path, options.open));
}
