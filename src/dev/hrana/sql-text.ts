import type { SqlToken } from "../../bindings/db/sql-tokens.js";

export { type SqlToken, tokenize } from "../../bindings/db/sql-tokens.js";
export { splitSql } from "../../bindings/db/split-statements.js";

// Statements and parameters of a SQL text. Tokenizing and splitting are skiff's one SQL splitter (src/bindings/db),
// shared with migrations; parameter numbering is the server's own. The driver exposes neither the unparsed tail of a
// statement nor parameter names, and both are needed: the protocol forbids several statements in one `execute`, and
// named arguments must be bound by position (binding an object to a statement that also has a bare `?` aborts the
// libSQL driver's process).

const MAX_VARIABLE_NUMBER = 32766; // SQLITE_MAX_VARIABLE_NUMBER's default

/**
 * Names of a statement's parameters by position (index 0 is parameter 1), numbered as SQLite numbers them: a bare
 * `?` takes the next free index (and has no name), `?NNN` takes NNN, a repeated name reuses its index. A slot keeps
 * the first name it gets, as `sqlite3_bind_parameter_name` reports it: in `SELECT :b, :a, ?1`, `?1` is `:b`.
 *
 * @example
 * ```ts
 * parameterNames(tokenize("SELECT ?, :a, ?5, :a")) // [null, ":a", null, null, "?5"]
 * parameterNames(tokenize("SELECT :b, :a, ?1")) // [":b", ":a"]
 * ```
 */
export function parameterNames(tokens: readonly SqlToken[]): Array<string | null> {
  const names: Array<string | null> = [];
  const seen = new Map<string, number>();
  let max = 0;
  for (const token of tokens) {
    if (token.kind !== "param") continue;
    let index: number;
    if (token.text === "?") index = max + 1;
    else if (token.text.startsWith("?")) index = Number(token.text.slice(1));
    else index = seen.get(token.text) ?? max + 1;
    if (!(index >= 1 && index <= MAX_VARIABLE_NUMBER)) continue; // SQLite rejects the statement itself
    if (token.text !== "?") seen.set(token.text, index);
    max = Math.max(max, index);
    while (names.length < index) names.push(null);
    if (token.text !== "?" && names[index - 1] === null) names[index - 1] = token.text;
  }
  return names;
}
