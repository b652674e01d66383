import type { Client, ResultSet, Transaction, TransactionMode } from "@libsql/client/web";
import { SkiffError } from "../../errors.js";
import { type Migration, type MigrationReport, migrate } from "./migrate.js";
import { isSqlQuery, type SqlQuery } from "./sql.js";

/**
 * A row as a plain object keyed by column name. It is the default row type of `all`, `get` and `batch`; pass your
 * own shape as their type parameter to get typed rows instead.
 *
 * @example
 * ```ts
 * const rows: Row[] = await c.var.db.all(sql`SELECT id, email FROM users`);
 * ```
 */
export type Row = Record<string, unknown>;

/**
 * What a write reports: rows changed and, for inserts into rowid tables, the new rowid. `db.run()` returns one, and
 * every statement's result in `db.batch()` includes one.
 *
 * @example
 * ```ts
 * const { rowsAffected }: RunResult = await ctx.db.run(sql`DELETE FROM sessions WHERE expires_at < ${Date.now()}`);
 * ```
 */
export interface RunResult {
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

/**
 * One statement's result inside a batch: the {@link RunResult} counts plus the rows the statement returned (empty
 * for a write without `RETURNING`). `db.batch()` resolves to one per statement, in order.
 *
 * @example
 * ```ts
 * const [removed, left]: BatchResult[] = await c.var.db.batch([sql`DELETE FROM carts WHERE id = ${id}`, sql`SELECT count(*) AS n FROM carts`]);
 * console.log(removed?.rowsAffected, left?.rows[0]?.n);
 * ```
 */
export interface BatchResult<T extends Row = Row> extends RunResult {
  rows: T[];
}

/**
 * Creates the underlying libSQL client. Called once, on first use (never at import time), so an adapter can build a
 * {@link Database} at start-up without opening a connection.
 *
 * @example
 * ```ts
 * const factory: ClientFactory = () => createClient({ url: "libsql://shop-acme.turso.io", authToken: token });
 * const db = new Database(factory);
 * ```
 */
export type ClientFactory = () => Client;

function assertQuery(query: unknown, method: string): asserts query is SqlQuery {
  if (!isSqlQuery(query)) {
    throw new SkiffError(`db.${method}() takes a statement built with the sql\`...\` tag, not a string`);
  }
}

/** @internal Converts libSQL rows (array-likes with column getters) into plain objects that serialise cleanly. */
export function toRows<T extends Row>(result: ResultSet): T[] {
  const { columns, rows } = result;
  return rows.map((row) => {
    const out: Row = {};
    for (let i = 0; i < columns.length; i++) out[columns[i] as string] = row[i];
    return out as T;
  });
}

function toRun(result: ResultSet): RunResult {
  return { rowsAffected: result.rowsAffected, lastInsertRowid: result.lastInsertRowid };
}

/**
 * Query methods shared by the database and its transactions, so both read the same way.
 *
 * @example
 * ```ts
 * const users = await db.all<{ id: number; email: string }>(sql`SELECT id, email FROM users LIMIT ${10}`);
 * const one = await db.get(sql`SELECT * FROM users WHERE id = ${id}`);
 * const { lastInsertRowid } = await db.run(sql`INSERT INTO users (email) VALUES (${email})`);
 * ```
 */
export abstract class Queries {
  protected abstract executor(): Pick<Client | Transaction, "execute" | "batch">;
  /** Resolves when the database is ready for queries (migrations applied). */
  protected ready(): Promise<void> | undefined {
    return undefined;
  }

  /** Every row of the result. */
  async all<T extends Row = Row>(query: SqlQuery): Promise<T[]> {
    assertQuery(query, "all");
    await this.ready();
    return toRows<T>(await this.executor().execute({ sql: query.sql, args: query.args }));
  }

  /** The first row, or `undefined` when there is none. */
  async get<T extends Row = Row>(query: SqlQuery): Promise<T | undefined> {
    assertQuery(query, "get");
    await this.ready();
    return toRows<T>(await this.executor().execute({ sql: query.sql, args: query.args }))[0];
  }

  /** Runs a write and reports rows affected and the last rowid. */
  async run(query: SqlQuery): Promise<RunResult> {
    assertQuery(query, "run");
    await this.ready();
    return toRun(await this.executor().execute({ sql: query.sql, args: query.args }));
  }
}

/**
 * The `db` binding: libSQL (Turso, or an embedded file) behind a small, always-parameterised API. The client is
 * created on first use and reused for the life of the isolate or process.
 *
 * `batch()` sends every statement in one round trip and runs them in one transaction: all succeed or none does.
 * `transaction()` is interactive (several round trips over HTTP); prefer `batch()` where the statements are known
 * up front.
 *
 * @example
 * ```ts
 * app.post("/api/orders/bulk", async (c) => {
 *   const orders = await c.req.json<{ id: string; sku: string }[]>();
 *   await c.var.db.batch(orders.map((o) => sql`INSERT INTO orders (id, sku) VALUES (${o.id}, ${o.sku})`));
 *   return c.body(null, 204);
 * });
 * ```
 */
export class Database extends Queries {
  readonly #factory: ClientFactory;
  #client: Client | undefined;
  #setup: ((db: Database) => Promise<unknown>) | undefined;
  #setupDone: Promise<void> | undefined;
  #operations = 0;

  constructor(factory: ClientFactory) {
    super();
    this.#factory = factory;
  }

  /** The underlying `@libsql/client` client, for what this API does not cover. Created on first access. */
  get client(): Client {
    this.#client ??= this.#factory();
    return this.#client;
  }

  protected executor(): Client {
    return this.client;
  }

  /**
   * Runs `setup` (typically migrations) once, before the first query through this API. A failed setup is tried
   * again by the next query. `client` and `migrate()` do not wait for it.
   *
   * @example
   * ```ts
   * db.beforeFirstQuery((db) => db.migrate(migrations));
   * ```
   */
  beforeFirstQuery(setup: (db: Database) => Promise<unknown>): void {
    this.#setup = setup;
    this.#setupDone = undefined;
  }

  /**
   * @internal How many operations (`all`, `get`, `run`, `batch`, `transaction`) have run through this API: the change
   * relay runs after a request only when the request's work queried the database at all.
   *
   * @example
   * ```ts
   * const before = db.operations; await handle(); const queried = db.operations !== before;
   * ```
   */
  get operations(): number {
    return this.#operations;
  }

  protected override ready(): Promise<void> | undefined {
    this.#operations++;
    if (!this.#setup) return undefined;
    this.#setupDone ??= this.#setup(this).then(
      () => undefined,
      (error: unknown) => {
        this.#setupDone = undefined;
        throw error;
      },
    );
    return this.#setupDone;
  }

  /** Runs the statements in one round trip, atomically (`mode`: `"write"` default, `"read"`, `"deferred"`). */
  async batch<T extends Row = Row>(
    queries: readonly SqlQuery[],
    mode: TransactionMode = "write",
  ): Promise<BatchResult<T>[]> {
    queries.forEach((q) => assertQuery(q, "batch"));
    if (queries.length === 0) return [];
    await this.ready();
    const results = await this.client.batch(
      queries.map((q) => ({ sql: q.sql, args: q.args })),
      mode,
    );
    return results.map((r) => ({ ...toRun(r), rows: toRows<T>(r) }));
  }

  /**
   * Runs `fn` in an interactive transaction: committed when `fn` resolves, rolled back when it throws.
   *
   * @example
   * ```ts
   * await db.transaction(async (tx) => {
   *   const row = await tx.get<{ stock: number }>(sql`SELECT stock FROM items WHERE sku = ${sku}`);
   *   if (!row || row.stock < qty) throw new ProblemError(409, { detail: "Out of stock" });
   *   await tx.run(sql`UPDATE items SET stock = stock - ${qty} WHERE sku = ${sku}`);
   * });
   * ```
   */
  async transaction<T>(
    fn: (tx: DatabaseTransaction) => Promise<T>,
    mode: TransactionMode = "write",
  ): Promise<T> {
    await this.ready();
    const tx = await this.client.transaction(mode);
    try {
      const result = await fn(new DatabaseTransaction(tx));
      await tx.commit();
      return result;
    } catch (error) {
      if (!tx.closed) await tx.rollback().catch(() => undefined);
      throw error;
    } finally {
      tx.close();
    }
  }

  /**
   * Applies pending migrations, each once and atomically, safe when several processes start together.
   *
   * @example
   * ```ts
   * await db.migrate([{ id: "001_users", sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE)" }]);
   * ```
   */
  migrate(migrations: readonly Migration[]): Promise<MigrationReport> {
    return migrate(this, migrations);
  }

  /** Closes the client if it was ever opened. */
  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
}

/**
 * The handle passed to {@link Database.transaction}: the same `all/get/run` methods, inside the transaction.
 *
 * @example
 * ```ts
 * await db.transaction(async (tx) => { await tx.run(sql`UPDATE items SET stock = stock - 1 WHERE sku = ${sku}`) });
 * ```
 */
export class DatabaseTransaction extends Queries {
  readonly #tx: Transaction;
  constructor(tx: Transaction) {
    super();
    this.#tx = tx;
  }
  protected executor(): Transaction {
    return this.#tx;
  }
}
