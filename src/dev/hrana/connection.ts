import { setTimeout as sleep } from "node:timers/promises";
import Database from "libsql";
import { HranaStmtError, sqliteToStmtError } from "./errors.js";
import type { HranaDescribeResult, HranaStmtResult } from "./protocol.js";
import { refuseFileAccess } from "./sql-policy.js";
import { parameterNames, splitSql, tokenize } from "./sql-text.js";
import { singleStatement, type BoundStatement } from "./statement.js";
import { encodeValue } from "./values.js";

type Db = Database.Database;
type Stmt = Database.Statement;

/**
 * How a connection is opened: `busyTimeoutMs` bounds lock waits, `wal` switches the file to WAL, `allowAttach`
 * lets ATTACH, DETACH and VACUUM INTO through, and `beforeStatement` is called before each statement runs (the
 * SQL process reports its liveness there).
 *
 * @example
 * ```ts
 * const options: ConnectionOptions = { busyTimeoutMs: 15_000, allowAttach: false };
 * ```
 */
export interface ConnectionOptions {
  busyTimeoutMs: number;
  wal?: boolean;
  allowAttach?: boolean;
  beforeStatement?: () => void;
}

const READONLY_KEYWORDS = new Set(["SELECT", "VALUES", "EXPLAIN"]);
const WRITE_KEYWORDS = new Set(["INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER"]);

/**
 * One SQLite connection, owned by one stream, living in a SQL process (see `sql-process.ts`). The driver is
 * synchronous, so a statement never overlaps another in that process; what can conflict is a transaction some other
 * stream keeps open between requests. SQLite's own busy handler would wait for it by blocking the thread, and so
 * also block the request that would commit it (which may be served by the same process):
 * the connection runs with `busy_timeout = 0` and waits here instead, asynchronously, re-running the same
 * statement (what the busy handler does) until `busyTimeoutMs` has passed.
 *
 * @example
 * ```ts
 * const conn = HranaConnection.open("data/app.db", { busyTimeoutMs: 15_000 });
 * const result = await conn.execute({ sql: "SELECT 1", args: [], wantRows: true });
 * conn.close();
 * ```
 */
export class HranaConnection {
  readonly #db: Db;
  readonly #busyTimeoutMs: number;
  readonly #allowAttach: boolean;
  readonly #beforeStatement: () => void;
  #counters: Stmt | undefined;
  #closedBecause = "the stream's connection is closed";
  #resetAfterBusy = false;

  private constructor(db: Db, options: ConnectionOptions) {
    this.#db = db;
    this.#busyTimeoutMs = options.busyTimeoutMs;
    this.#allowAttach = options.allowAttach ?? false;
    this.#beforeStatement = options.beforeStatement ?? (() => {});
  }

  /** Opens a connection to the database file at `path` (throws the driver's error if it cannot). */
  static open(path: string, options: ConnectionOptions): HranaConnection {
    const db = new Database(path);
    try {
      db.exec("PRAGMA busy_timeout = 0");
      if (options.wal) db.exec("PRAGMA journal_mode = WAL");
      return new HranaConnection(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Whether the connection is outside an explicit transaction (a closed connection is). */
  isAutocommit(): boolean {
    // Reading `inTransaction` on a closed driver connection aborts the process, hence the guard.
    return !this.#db.open || !this.#db.inTransaction;
  }

  /** Runs one bound statement and returns its protocol result. Throws {@link HranaStmtError}. */
  async execute(stmt: BoundStatement): Promise<HranaStmtResult> {
    const started = performance.now();
    // After a reset the transaction is already rolled back; let the client's ROLLBACK say so instead of failing.
    if (this.#resetAfterBusy && isPlainRollback(stmt.sql))
      return { cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null, query_duration_ms: 0 };
    refuseFileAccess(stmt.tokens, this.#allowAttach);
    const prepared = await this.#retryBusy(() => this.#prepare(stmt.sql));
    prepared.safeIntegers(true);
    const reader = prepared.reader;
    const cols = reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null })) : [];
    if (reader) prepared.raw(true);
    // `total_changes()` moves only if this statement wrote, so it separates a write from the stale `changes()`
    // of an earlier one (DDL and SELECT leave `changes()` untouched).
    const before = this.#readCounters().total;
    const rows = await this.#step(() =>
      reader ? (prepared.all(stmt.args) as unknown[][]) : (prepared.run(stmt.args), []),
    );
    const after = this.#readCounters();
    const wrote = after.total !== before;
    return {
      cols,
      rows: stmt.wantRows ? rows.map((row) => row.map(encodeValue)) : [],
      affected_row_count: wrote ? Number(after.changes) : 0,
      // The driver's own `lastInsertRowid` is a double and loses rowids above 2^53; this one is a bigint.
      last_insert_rowid: wrote ? after.lastInsertRowid.toString() : null,
      query_duration_ms: performance.now() - started,
    };
  }

  /** Runs every statement of `sql` in order, ignoring rows, stopping at the first error (`sequence`). */
  async sequence(sql: string): Promise<void> {
    // One statement at a time, so a busy wait repeats only the statement that waited, never earlier ones.
    const statements = splitSql(sql);
    for (const { tokens } of statements) refuseFileAccess(tokens, this.#allowAttach);
    for (const { text } of statements) {
      const prepared = await this.#retryBusy(() => this.#prepare(text));
      await this.#step(() => prepared.run([]));
    }
  }

  /**
   * Describes a statement without running it. The driver reports neither parameter names nor whether a
   * statement writes, so both come from the SQL text: `is_readonly` is a keyword heuristic.
   */
  describe(sql: string): HranaDescribeResult {
    const { text, tokens } = singleStatement(sql);
    refuseFileAccess(tokens, this.#allowAttach);
    this.#beforeStatement();
    const prepared = this.#prepare(text);
    const cols = prepared.reader
      ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type ?? null }))
      : [];
    const first = tokens[0]?.upper ?? "";
    const writes = tokens.some((t) => t.kind === "word" && WRITE_KEYWORDS.has(t.upper));
    return {
      params: parameterNames(tokens).map((name) => ({ name })),
      cols,
      is_explain: first === "EXPLAIN",
      is_readonly: READONLY_KEYWORDS.has(first) || (first === "WITH" && !writes),
    };
  }

  /** Rolls back any open transaction and closes the connection. Safe to call twice. */
  close(): void {
    if (!this.#db.open) return;
    try {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
    } catch {
      // closing is what matters; the rollback happens implicitly when the connection closes
    }
    this.#db.close();
  }

  /**
   * Closes the connection under a stream that stays open: later statements fail with `STREAM_CLOSED` and `reason`,
   * and a plain `ROLLBACK` succeeds, since the transaction it would end is already gone.
   */
  reset(reason: string): void {
    this.#resetAfterBusy = true;
    this.#closedBecause = reason;
    this.close();
  }

  #prepare(sql: string): Stmt {
    if (!this.#db.open) throw new HranaStmtError("STREAM_CLOSED", `[skiff] ${this.#closedBecause}`);
    try {
      return this.#db.prepare(sql);
    } catch (error) {
      throw sqliteToStmtError(error, "prepare");
    }
  }

  /**
   * Executes a prepared statement, waiting out SQLITE_BUSY. A statement that got SQLITE_BUSY (or BUSY_SNAPSHOT)
   * stays active and keeps its read transaction open, even across a ROLLBACK: a different statement run next
   * would sit inside it, and its writes would never commit. So the wait re-runs this same statement (the driver
   * resets it first). When it cannot (the wait gave up, or the snapshot is stale and waiting cannot help) the
   * driver has no other way to reset it, so the connection is closed, rolling everything back, and the stream
   * refuses further statements rather than continuing on a connection that silently drops writes.
   */
  async #step<T>(work: () => T): Promise<T> {
    try {
      return await this.#retryBusy(() => {
        try {
          return work();
        } catch (error) {
          throw sqliteToStmtError(error, "execute");
        }
      });
    } catch (error) {
      if (!(error instanceof HranaStmtError) || error.code !== "SQLITE_BUSY" || !this.#db.open) throw error;
      const why = error.busy
        ? `gave up after waiting ${this.#busyTimeoutMs} ms for another stream's lock`
        : "another stream wrote since this transaction's first read";
      this.reset(
        `the stream's connection was reset after SQLITE_BUSY (${why}) and its transaction rolled back`,
      );
      throw new HranaStmtError(
        error.code,
        `${error.message} (${why}; the transaction was rolled back and this stream accepts no more statements)`,
      );
    }
  }

  #readCounters(): { total: bigint; changes: bigint; lastInsertRowid: bigint } {
    this.#counters ??= this.#prepare("SELECT total_changes(), changes(), last_insert_rowid()")
      .safeIntegers(true)
      .raw(true);
    const counters = this.#counters;
    let row: [bigint, bigint, bigint] | undefined;
    try {
      row = counters.get([]) as [bigint, bigint, bigint] | undefined;
    } catch (error) {
      throw sqliteToStmtError(error, "execute");
    }
    if (!row) throw new HranaStmtError("INTERNAL", "[skiff] could not read the change counters");
    return { total: row[0], changes: row[1], lastInsertRowid: row[2] };
  }

  async #retryBusy<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      this.#beforeStatement();
      try {
        return work();
      } catch (error) {
        if (!(error instanceof HranaStmtError) || !error.busy || Date.now() + delay > deadline) throw error;
        await sleep(delay);
      }
    }
  }
}

function isPlainRollback(sql: string): boolean {
  const words = tokenize(sql)
    .filter((t) => t.kind === "word")
    .map((t) => t.upper);
  return words[0] === "ROLLBACK" && !words.includes("TO");
}
