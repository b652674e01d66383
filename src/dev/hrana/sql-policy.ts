import { HranaStmtError } from "./errors.js";
import type { SqlToken } from "./sql-text.js";

/**
 * Refuses the statements that reach files outside the database: `ATTACH` and `DETACH`, and `VACUUM ... INTO`,
 * which open or create a file at any path the process can write. `tokens` are one statement's, from `splitSql`
 * (comments, case and whitespace are already gone). The check looks at the statement's first keyword, after an
 * `EXPLAIN` or `EXPLAIN QUERY PLAN` prefix, which is exactly where SQLite looks: the driver compiles only the first
 * statement of the text it is given, and that text starts at the first token. The libSQL driver's authorizer cannot
 * do this (it knows tables only, and `VACUUM INTO` never reaches an authorizer), hence the text.
 *
 * @example
 * ```ts
 * refuseFileAccess(tokenize("/* x *\/ attach 'x.db' AS x"), false) // throws SQLITE_AUTH
 * ```
 */
export function refuseFileAccess(tokens: readonly SqlToken[], allowAttach: boolean): void {
  if (allowAttach) return;
  let i = 0;
  if (tokens[i]?.upper === "EXPLAIN") i += tokens[i + 1]?.upper === "QUERY" ? 3 : 1;
  const first = tokens[i];
  if (first?.kind !== "word") return;
  const rest = tokens.slice(i + 1);
  // `VACUUM` and `VACUUM schema` stay allowed; any other form may carry `INTO`, so it is refused.
  const vacuumInto =
    first.upper === "VACUUM" &&
    (rest.length > 1 || rest.some((t) => t.kind !== "word" || t.upper === "INTO"));
  if (first.upper !== "ATTACH" && first.upper !== "DETACH" && !vacuumInto) return;
  const what = vacuumInto ? "VACUUM INTO" : first.upper;
  throw new HranaStmtError(
    "SQLITE_AUTH",
    `[skiff] ${what} is refused by the local libSQL server: it opens or writes a file at any path the server can reach. Pass allowAttach: true to serveHrana to allow ATTACH, DETACH and VACUUM INTO`,
  );
}
