import { type SqlToken, tokenize } from "./sql-tokens.js";

/**
 * Splits SQL text into statements, each with its tokens, dropping empty ones. A `CREATE TRIGGER` body ends only at
 * `; END ;` (the rule of `sqlite3_complete`), so semicolons inside it do not split it.
 *
 * @example
 * ```ts
 * splitSql("CREATE TABLE a (x); INSERT INTO a VALUES (';')").map((s) => s.text) // ["CREATE TABLE a (x);", "INSERT INTO a VALUES (';')"]
 * ```
 */
export function splitSql(sql: string): Array<{ text: string; tokens: SqlToken[] }> {
  const out: Array<{ text: string; tokens: SqlToken[] }> = [];
  let current: SqlToken[] = [];
  const flush = () => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first && last && current.some((t) => t.kind !== "semi")) {
      out.push({ text: sql.slice(first.start, last.end), tokens: current.filter((t) => t.kind !== "semi") });
    }
    current = [];
  };
  for (const token of tokenize(sql)) {
    current.push(token);
    if (token.kind !== "semi") continue;
    const n = current.length;
    const endsTrigger = current[n - 2]?.upper === "END" && current[n - 3]?.kind === "semi";
    if (!isTrigger(current) || endsTrigger) flush();
  }
  flush();
  return out;
}

function isTrigger(tokens: SqlToken[]): boolean {
  const words = tokens.filter((t) => t.kind === "word").map((t) => t.upper);
  let i = 0;
  if (words[i] === "EXPLAIN") i += words[i + 1] === "QUERY" ? 3 : 1;
  if (words[i++] !== "CREATE") return false;
  if (words[i] === "TEMP" || words[i] === "TEMPORARY") i++;
  return words[i] === "TRIGGER";
}

/**
 * Splits a SQL script into statements on top-level semicolons, ignoring those inside quotes, comments and
 * `CREATE TRIGGER ... BEGIN ... END` bodies (the same {@link splitSql} as the development Hrana server). Used for
 * migrations given as one script, because a batch takes one statement per entry. Each statement is returned without
 * its final semicolon and without the comments before it.
 *
 * @example
 * ```ts
 * splitStatements("CREATE TABLE a (x); INSERT INTO a VALUES (';');") // ["CREATE TABLE a (x)", "INSERT INTO a VALUES (';')"]
 * ```
 */
export function splitStatements(script: string): string[] {
  return splitSql(script).map(({ tokens }) =>
    script.slice((tokens[0] as SqlToken).start, (tokens[tokens.length - 1] as SqlToken).end),
  );
}
