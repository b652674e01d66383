import {
  LibsqlBatchError,
  LibsqlError,
  type InArgs,
  type InValue,
  type ResultSet,
  type Row,
  type Value,
} from "@libsql/client/web";

/**
 * The part of a `bun:sqlite` prepared statement the bun:sqlite backend uses (declared here: skiff ships no Bun
 * types). Statements come from `Database.query()`, which caches them per SQL text.
 *
 * @example
 * ```ts
 * const statement: BunSqliteStatement = connection.query("SELECT id FROM users WHERE id = ?");
 * statement.values(1); // [[1n]] with safeIntegers
 * ```
 */
export interface BunSqliteStatement {
  readonly columnNames: string[];
  readonly declaredTypes: Array<string | null>;
  values(...params: BunSqliteParam[]): unknown[][];
  run(...params: BunSqliteParam[]): { changes: number; lastInsertRowid: number | bigint };
}

/**
 * A value `bun:sqlite` binds: what skiff passes after converting libSQL's argument types.
 *
 * @example
 * ```ts
 * const param: BunSqliteParam = { email: "ada@example.com" }; // named, with `strict: true`
 * ```
 */
export type BunSqliteParam =
  string | number | bigint | null | Uint8Array | Record<string, string | number | bigint | null | Uint8Array>;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// As @libsql/client converts arguments, so the same statement binds the same values on both backends.
function toSql(value: InValue): string | number | bigint | null | Uint8Array {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers can be passed to the database");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

/**
 * @internal libSQL's statement arguments as `bun:sqlite` parameters: positional ones spread, named ones without
 * their `:`/`@`/`$` prefix (the connection is opened with `strict: true`).
 *
 * @example
 * ```ts
 * statement.values(...toParams([1, true])); // binds 1, 1
 * ```
 */
export function toParams(args: InArgs | undefined): BunSqliteParam[] {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, string | number | bigint | null | Uint8Array> = {};
  for (const [name, value] of Object.entries(args))
    named[/^[:@$]/.test(name) ? name.slice(1) : name] = toSql(value);
  return [named];
}

// intMode "number", as every skiff database: an integer past 2^53 throws rather than silently losing digits.
function fromSql(value: unknown): Value {
  if (typeof value === "bigint") {
    if (value < MIN_SAFE || value > MAX_SAFE)
      throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(value);
  }
  if (value instanceof Uint8Array)
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  return value as Value;
}

function toRow(values: unknown[], columns: readonly string[]): Row {
  const row = {} as Row;
  Object.defineProperty(row, "length", { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = fromSql(values[i]);
    Object.defineProperty(row, i, { value });
    const column = columns[i] as string;
    if (!Object.hasOwn(row, column))
      Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
  }
  return row;
}

class BunResultSet implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: Row[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}
  toJSON(): unknown {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) => Array.from({ length: row.length }, (_, i) => jsonValue(row[i] ?? null))),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : String(this.lastInsertRowid),
    };
  }
}

function jsonValue(value: Value): unknown {
  if (typeof value === "bigint") return String(value);
  if (value instanceof ArrayBuffer) return btoa(String.fromCharCode(...new Uint8Array(value)));
  return value;
}

/**
 * @internal Runs one prepared statement and shapes its outcome as libSQL's `ResultSet`: rows (index and column
 * keys, as libSQL's rows) for a statement that returns columns, `rowsAffected` and `lastInsertRowid` otherwise,
 * which is also what `@libsql/client` reports for `file:` databases.
 *
 * @example
 * ```ts
 * const result = runStatement(connection.query(sql), toParams(args));
 * ```
 */
export function runStatement(statement: BunSqliteStatement, params: BunSqliteParam[]): ResultSet {
  const columns = statement.columnNames;
  if (columns.length > 0) {
    const rows = statement.values(...params).map((values) => toRow(values, columns));
    const types = statement.declaredTypes.map((t) => t ?? "");
    return new BunResultSet([...columns], types, rows, 0, undefined);
  }
  const info = statement.run(...params);
  return new BunResultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
}

/**
 * @internal A `bun:sqlite` error as the `LibsqlError` `@libsql/client` throws for the same failure (`code` is the
 * base SQLite code, `extendedCode` the extended one: `SQLITE_CONSTRAINT`, `SQLITE_CONSTRAINT_UNIQUE`), so code that
 * checks either works on both backends; with `statementIndex`, the `LibsqlBatchError` of a failed batch.
 *
 * @example
 * ```ts
 * try { statement.run(); } catch (error) { throw sqliteError(error); }
 * ```
 */
export function sqliteError(error: unknown, statementIndex?: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
  const base = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
  const errno = (error as { errno?: unknown }).errno;
  const raw = typeof errno === "number" ? errno : undefined;
  // In a batch, libSQL says which statement failed.
  return statementIndex === undefined
    ? new LibsqlError(error.message, base, code, raw, error)
    : new LibsqlBatchError(error.message, statementIndex, base, code, raw, error);
}
