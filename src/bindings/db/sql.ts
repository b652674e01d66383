import type { InValue } from "@libsql/client/web";

/**
 * A value that can be bound as a SQL parameter: a string, number, bigint, boolean, `Date`, bytes (`Uint8Array` or
 * `ArrayBuffer`) or `null` (libSQL's `InValue`). {@link sql} throws on any other interpolated value, `undefined`
 * included, except a nested `sql` fragment.
 *
 * @example
 * ```ts
 * const args: SqlValue[] = sql`SELECT * FROM users WHERE email = ${email} AND active = ${true}`.args;
 * ```
 */
export type SqlValue = InValue;

const FRAGMENT = Symbol.for("skiff.sql");

/**
 * A parameterised statement: text with `?` placeholders and its arguments. Built by {@link sql}; never by string
 * concatenation, so user input can only ever be a bound argument.
 *
 * @example
 * ```ts
 * const q: SqlQuery = sql`SELECT * FROM users WHERE email = ${email}`;
 * q.sql  // "SELECT * FROM users WHERE email = ?"
 * q.args // [email]
 * ```
 */
export interface SqlQuery {
  readonly sql: string;
  readonly args: SqlValue[];
  readonly [FRAGMENT]: true;
}

function fragment(text: string, args: SqlValue[]): SqlQuery {
  return { sql: text, args, [FRAGMENT]: true };
}

function isFragment(value: unknown): value is SqlQuery {
  return typeof value === "object" && value !== null && (value as Partial<SqlQuery>)[FRAGMENT] === true;
}

function build(strings: TemplateStringsArray, values: unknown[]): SqlQuery {
  let text = strings[0] ?? "";
  const args: SqlValue[] = [];
  values.forEach((value, i) => {
    if (isFragment(value)) {
      text += value.sql;
      args.push(...value.args);
    } else {
      text += "?";
      args.push(toSqlValue(value, i));
    }
    text += strings[i + 1] ?? "";
  });
  return fragment(text, args);
}

function toSqlValue(value: unknown, index: number): SqlValue {
  if (value === undefined) {
    throw new TypeError(`[skiff] sql: value #${index + 1} is undefined; pass null to bind SQL NULL`);
  }
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "bigint" ||
    typeof value === "boolean" ||
    value instanceof Date ||
    value instanceof ArrayBuffer ||
    value instanceof Uint8Array
  ) {
    return value;
  }
  throw new TypeError(
    `[skiff] sql: value #${index + 1} is a ${typeof value}; bind strings, numbers, bigints, booleans, dates, bytes or null (JSON.stringify objects yourself)`,
  );
}

interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): SqlQuery;
  /** Joins fragments or values with a separator: `sql.join([1, 2, 3])` → `?, ?, ?`. */
  join(items: readonly unknown[], separator?: string): SqlQuery;
  /** A quoted identifier (table or column name) for names that cannot be parameters. */
  id(name: string): SqlQuery;
  /** An empty fragment, for conditional composition. */
  readonly empty: SqlQuery;
}

/**
 * The `sql` tagged template. Every interpolated value becomes a bound `?` argument; nested `sql` fragments are
 * spliced in with their own arguments, so queries compose without ever concatenating strings. Identifiers that
 * cannot be parameters go through `sql.id()`, which quotes them.
 *
 * @example
 * ```ts
 * const where = status ? sql`WHERE status = ${status}` : sql.empty;
 * const rows = await db.all(sql`SELECT * FROM orders ${where} LIMIT ${limit}`);
 * await db.run(sql`DELETE FROM orders WHERE id IN (${sql.join(ids)})`);
 * ```
 */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]) => build(strings, values),
  {
    join(items: readonly unknown[], separator = ", "): SqlQuery {
      const parts: string[] = [];
      const args: SqlValue[] = [];
      items.forEach((item, i) => {
        if (isFragment(item)) {
          parts.push(item.sql);
          args.push(...item.args);
        } else {
          parts.push("?");
          args.push(toSqlValue(item, i));
        }
      });
      return fragment(parts.join(separator), args);
    },
    id(name: string): SqlQuery {
      if (name.length === 0 || name.includes("\u0000"))
        throw new TypeError("[skiff] sql.id: identifier must be a non-empty string");
      return fragment(`"${name.replaceAll('"', '""')}"`, []);
    },
    empty: fragment("", []),
  },
);

/**
 * Whether a value is a statement built by {@link sql}. Database methods accept only these, so a raw string (a
 * likely injection) is rejected at run time as well as by the types.
 *
 * @example
 * ```ts
 * isSqlQuery(sql`SELECT 1`) // true
 * isSqlQuery("SELECT 1")    // false
 * ```
 */
export function isSqlQuery(value: unknown): value is SqlQuery {
  return isFragment(value);
}
