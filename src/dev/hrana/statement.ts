import { HranaStmtError } from "./errors.js";
import type { ParsedStmt } from "./parse.js";
import { parameterNames, splitSql, type SqlToken } from "./sql-text.js";
import type { SqlValue } from "./values.js";

/**
 * A statement ready for the driver: one statement's text, its tokens and its arguments in parameter order.
 *
 * @example
 * ```ts
 * const bound: BoundStatement = { sql: "SELECT ?", tokens: tokenize("SELECT ?"), args: [1n], wantRows: true };
 * ```
 */
export interface BoundStatement {
  sql: string;
  tokens: SqlToken[];
  args: SqlValue[];
  wantRows: boolean;
}

/**
 * The SQL text of a request: given inline, or stored earlier on the stream with `store_sql`.
 *
 * @example
 * ```ts
 * resolveSql(undefined, 1, new Map([[1, "SELECT 1"]])) // "SELECT 1"
 * ```
 */
export function resolveSql(
  sql: string | undefined,
  sqlId: number | undefined,
  stored: ReadonlyMap<number, string>,
): string {
  if (sql !== undefined) return sql;
  const text = sqlId === undefined ? undefined : stored.get(sqlId);
  if (text === undefined)
    throw new HranaStmtError("SQL_NOT_FOUND", `[skiff] no SQL text is stored under id ${sqlId}`);
  return text;
}

/**
 * The single statement in `sql` and its tokens; zero or several statements are errors, as in sqld.
 *
 * @example
 * ```ts
 * singleStatement("SELECT 1;").text // "SELECT 1;"
 * ```
 */
export function singleStatement(sql: string): { text: string; tokens: SqlToken[] } {
  const statements = splitSql(sql);
  const [first] = statements;
  if (first === undefined)
    throw new HranaStmtError("SQL_NO_STATEMENT", "SQL string does not contain any statement");
  if (statements.length > 1)
    throw new HranaStmtError("SQL_MANY_STATEMENTS", "SQL string contains more than one statement");
  return first;
}

/**
 * Resolves a statement's text and binds its arguments by position, following sqld's rules
 * (libsql-server/src/query.rs): positional and named arguments cannot be mixed; positional arguments fill the
 * slots in order (slots numbered as SQLite numbers them, see `parameterNames`), named ones go to `:name`/`@name`/
 * `$name` with or without the prefix; a parameter without a value is an error (except under EXPLAIN), and so are
 * more arguments than parameters.
 *
 * @example
 * ```ts
 * bindStatement({ sql: "SELECT :id", sqlId: undefined, args: [], named: new Map([["id", 7n]]), wantRows: true }, new Map()).args // [7n]
 * ```
 */
export function bindStatement(stmt: ParsedStmt, stored: ReadonlyMap<number, string>): BoundStatement {
  const { text, tokens } = singleStatement(resolveSql(stmt.sql, stmt.sqlId, stored));
  const { args, named } = stmt;
  if (args.length > 0 && named.size > 0) {
    throw new HranaStmtError(
      "ARGS_BOTH_POSITIONAL_AND_NAMED",
      "Specifying both positional and named arguments is not supported",
    );
  }
  const names = parameterNames(tokens);
  const given = named.size > 0 ? named.size : args.length;
  const argsInvalid = (why: string) =>
    new HranaStmtError("ARGS_INVALID", `Arguments do not match SQL parameters: ${why}`);
  if (given > names.length) throw argsInvalid(`too many parameters, expected ${names.length} found ${given}`);
  const isExplain = tokens[0]?.upper === "EXPLAIN";
  const bound = names.map((name, i): SqlValue => {
    // Positional values fill slots by position, whatever their names (sqlite3_bind_* by index, as sqld does).
    let value: SqlValue | undefined;
    if (named.size === 0) value = args[i];
    else if (name !== null && !name.startsWith("?"))
      value = named.has(name) ? named.get(name) : named.get(name.slice(1));
    if (value !== undefined) return value;
    if (isExplain) return null;
    throw argsInvalid(`value for parameter ${name ?? i + 1} not found`);
  });
  return { sql: text, tokens, args: bound, wantRows: stmt.wantRows };
}
