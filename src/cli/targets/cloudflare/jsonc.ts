/**
 * Parses JSON with comments (`//`, `/* *\/`) and trailing commas, as wrangler reads `wrangler.json` and
 * `wrangler.jsonc`. Comments and trailing commas become spaces, so `JSON.parse`'s error positions still point into
 * the original text.
 *
 * @example
 * ```ts
 * parseJsonc('{ "crons": ["0 9 * * *",], // daily\n }') // { crons: ["0 9 * * *"] }
 * ```
 */
export function parseJsonc(text: string): unknown {
  const source = text.replace(/^\uFEFF/, "");
  const out = source.split(""); // UTF-16 units, so indexes agree with source.indexOf
  let i = 0;
  // Index of the last comma outside strings and comments, cleared by any other significant character.
  let comma = -1;
  while (i < out.length) {
    const c = out[i];
    if (c === '"') {
      comma = -1;
      for (i++; i < out.length && out[i] !== '"'; i++) if (out[i] === "\\") i++;
      i++;
    } else if (c === "/" && out[i + 1] === "/") {
      for (; i < out.length && out[i] !== "\n"; i++) out[i] = " ";
    } else if (c === "/" && out[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? out.length : end + 2;
      for (; i < stop; i++) if (out[i] !== "\n") out[i] = " ";
    } else if (c === ",") {
      comma = i++;
    } else if (c === "}" || c === "]") {
      if (comma !== -1) out[comma] = " ";
      comma = -1;
      i++;
    } else {
      if (c !== undefined && !/\s/.test(c)) comma = -1;
      i++;
    }
  }
  return JSON.parse(out.join(""));
}
