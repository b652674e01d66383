// A small SQLite tokenizer: enough to split statements and to number parameters the way SQLite does. The driver
// exposes neither the unparsed tail of a statement nor parameter names, and both are needed: the protocol forbids
// several statements in one `execute`, and named arguments must be bound by position (binding an object to a
// statement that also has a bare `?` aborts the libSQL driver's process).

type TokenKind = "word" | "param" | "semi" | "other";

/**
 * One token of a SQL text: keywords and identifiers are `word`s (upper-cased in `upper`), `?`, `?NNN`, `:name`,
 * `@name` and `$name` are `param`s. Quoted strings and identifiers, numbers and punctuation are `other`.
 *
 * @example
 * ```ts
 * tokenize("SELECT :id")[1] // { kind: "param", text: ":id", upper: ":ID", start: 7, end: 10 }
 * ```
 */
export interface SqlToken {
  kind: TokenKind;
  text: string;
  upper: string;
  start: number;
  end: number;
}

const MAX_VARIABLE_NUMBER = 32766; // SQLITE_MAX_VARIABLE_NUMBER's default

const isIdChar = (c: string | undefined): boolean =>
  c !== undefined && (/[A-Za-z0-9_$]/.test(c) || c > "\x7f");
const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/**
 * Splits SQL text into tokens, skipping whitespace and comments (after sqlite3's `tokenize.c`).
 *
 * @example
 * ```ts
 * tokenize("SELECT 1; -- done").map((t) => t.text) // ["SELECT", "1", ";"]
 * ```
 */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const push = (kind: TokenKind, start: number, end: number) => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, upper: text.toUpperCase(), start, end });
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const start = i;
    if (isSpace(c)) i++;
    else if (c === "-" && sql[i + 1] === "-") i = lineEnd(sql, i);
    else if (c === "/" && sql[i + 1] === "*")
      i = sql.includes("*/", i + 2) ? sql.indexOf("*/", i + 2) + 2 : sql.length;
    else if (c === "'" || c === '"' || c === "`" || c === "[") {
      i = quotedEnd(sql, i, c === "[" ? "]" : c);
      push("other", start, i);
    } else if (c === ";") push("semi", start, ++i);
    else if (c === "?") {
      i++;
      while (/[0-9]/.test(sql[i] ?? "")) i++;
      push("param", start, i);
    } else if (c === ":" || c === "@" || c === "$") {
      i = variableEnd(sql, i);
      push(i - start > 1 ? "param" : "other", start, i);
    } else if (isIdChar(c)) {
      while (isIdChar(sql[i])) i++;
      push(/[0-9]/.test(c) ? "other" : "word", start, i);
    } else push("other", start, ++i);
  }
  return tokens;
}

function lineEnd(sql: string, i: number): number {
  const nl = sql.indexOf("\n", i);
  return nl === -1 ? sql.length : nl + 1;
}

function quotedEnd(sql: string, i: number, close: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] !== close) j++;
    else if (close !== "]" && sql[j + 1] === close)
      j += 2; // a doubled quote escapes itself
    else return j + 1;
  }
  return sql.length;
}

// `:name`, `@name`, `$name`, with TCL-style `::` segments and a `(...)` suffix, as sqlite3's CC_VARALPHA.
function variableEnd(sql: string, i: number): number {
  let j = i + 1;
  let n = 0;
  while (j < sql.length) {
    const c = sql[j];
    if (isIdChar(c)) {
      n++;
      j++;
    } else if (c === "(" && n > 0) {
      j++;
      while (j < sql.length && !isSpace(sql[j]) && sql[j] !== ")") j++;
      return sql[j] === ")" ? j + 1 : j;
    } else if (c === ":" && sql[j + 1] === ":") j += 2;
    else break;
  }
  return j;
}

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
