/**
 * Splits a SQL script into statements on top-level semicolons, ignoring those inside quotes, comments and
 * `CREATE TRIGGER ... BEGIN ... END` bodies. Used for migrations given as one script, because a batch takes one
 * statement per entry.
 *
 * @example
 * ```ts
 * splitStatements("CREATE TABLE a (x); INSERT INTO a VALUES (';');") // ["CREATE TABLE a (x)", "INSERT INTO a VALUES (';')"]
 * ```
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0; // BEGIN ... END nesting inside a trigger body
  let cases = 0; // CASE ... END inside a trigger body also ends with END and must not close it
  let i = 0;
  const push = (end: number) => {
    const text = script.slice(start, end).trim();
    if (text && !/^(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/|\s)*$/.test(text)) out.push(text);
  };
  while (i < script.length) {
    const ch = script[i] as string;
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      const close = ch === "[" ? "]" : ch;
      i++;
      while (i < script.length) {
        if (script[i] !== close) i++;
        else if (close !== "]" && script[i + 1] === close)
          i += 2; // a doubled quote escapes itself
        else break;
      }
      i++;
    } else if (ch === "-" && script[i + 1] === "-") {
      const nl = script.indexOf("\n", i);
      i = nl === -1 ? script.length : nl + 1;
    } else if (ch === "/" && script[i + 1] === "*") {
      const endComment = script.indexOf("*/", i + 2);
      i = endComment === -1 ? script.length : endComment + 2;
    } else if (/[A-Za-z_]/.test(ch) && !/[A-Za-z0-9_$]/.test(script[i - 1] ?? " ")) {
      const word = (/^[A-Za-z_][A-Za-z0-9_$]*/.exec(script.slice(i, i + 64))?.[0] ?? ch).toUpperCase();
      if (word === "BEGIN" && /\bTRIGGER\b/i.test(script.slice(start, i))) depth++;
      else if (word === "CASE" && depth > 0) cases++;
      else if (word === "END" && cases > 0) cases--;
      else if (word === "END" && depth > 0) depth--;
      i += word.length;
    } else if (ch === ";" && depth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else i++;
  }
  push(script.length);
  return out;
}
