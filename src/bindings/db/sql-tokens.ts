// A small SQLite tokenizer (after sqlite3's `tokenize.c`): enough to split scripts into statements the way SQLite
// does, for migrations and for the development Hrana server, and to number parameters.

/**
 * What a {@link SqlToken} is: a keyword or identifier, a parameter, a semicolon, or anything else.
 *
 * @example
 * ```ts
 * const kind: SqlTokenKind = "param";
 * ```
 */
export type SqlTokenKind = "word" | "param" | "semi" | "other";

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
  kind: SqlTokenKind;
  text: string;
  upper: string;
  start: number;
  end: number;
}

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
  const push = (kind: SqlTokenKind, start: number, end: number) => {
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
