import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parseJsonc } from "./jsonc.js";

/**
 * The wrangler config files skiff looks for in the project root, in wrangler's own order of precedence
 * (`findWranglerConfig` in wrangler: `wrangler.json`, then `wrangler.jsonc`, then `wrangler.toml`).
 *
 * @example
 * ```ts
 * WRANGLER_CONFIG_FILES[0] // "wrangler.json"
 * ```
 */
export const WRANGLER_CONFIG_FILES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

/**
 * How a wrangler config is written: TOML, or JSON (wrangler reads `.json` and `.jsonc` alike, comments and
 * trailing commas allowed).
 *
 * @example
 * ```ts
 * const format: WranglerFormat = configFormat("wrangler.jsonc"); // "json"
 * ```
 */
export type WranglerFormat = "toml" | "json";

/**
 * The format of a config file, from its name as wrangler decides it.
 *
 * @example
 * ```ts
 * configFormat("wrangler.toml") // "toml"
 * ```
 */
export function configFormat(file: string): WranglerFormat {
  return /\.jsonc?$/i.test(file) ? "json" : "toml";
}

/**
 * The wrangler config of a project: `--config` when given (relative to the root), else the first of
 * {@link WRANGLER_CONFIG_FILES} that exists in the root, else the path of a `wrangler.toml` to create.
 *
 * @example
 * ```ts
 * const { file, exists } = findWranglerConfig("/repo", undefined); // "/repo/wrangler.toml", true
 * ```
 */
export function findWranglerConfig(
  root: string,
  explicit: string | undefined,
): { file: string; exists: boolean } {
  if (explicit) {
    const file = resolve(root, explicit);
    return { file, exists: existsSync(file) };
  }
  for (const name of WRANGLER_CONFIG_FILES) {
    const file = join(root, name);
    if (existsSync(file)) return { file, exists: true };
  }
  return { file: join(root, "wrangler.toml"), exists: false };
}

/**
 * Parses a wrangler config in its format; throws an error whose message starts with "is not valid TOML" or "is
 * not valid JSON" and says where.
 *
 * @example
 * ```ts
 * parseWranglerConfig('{ "name": "shop", // comment\n }', "json") // { name: "shop" }
 * ```
 */
export function parseWranglerConfig(source: string, format: WranglerFormat): Record<string, unknown> {
  let value: unknown;
  try {
    value = format === "json" ? parseJsonc(source) : parseToml(source);
  } catch (error) {
    const kind = format === "json" ? "JSON" : "TOML";
    throw new Error(`is not valid ${kind}: ${(error as Error).message.split("\n")[0]}`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("is not valid JSON: the top level must be an object");
  return value as Record<string, unknown>;
}

/**
 * Reads and parses the project's wrangler config when there is one and it parses; `undefined` otherwise (the
 * check reports why).
 *
 * @example
 * ```ts
 * const config = readWranglerConfig("/repo", undefined)?.config;
 * ```
 */
export function readWranglerConfig(
  root: string,
  explicit: string | undefined,
): { file: string; format: WranglerFormat; config: Record<string, unknown> } | undefined {
  const { file, exists } = findWranglerConfig(root, explicit);
  if (!exists) return undefined;
  const format = configFormat(file);
  try {
    return { file, format, config: parseWranglerConfig(readFileSync(file, "utf8"), format) };
  } catch {
    return undefined;
  }
}

/**
 * A config fragment written the way the file is: the TOML text, or the JSON object as wrangler prints snippets
 * for JSON configs (`formatConfigSnippet`).
 *
 * @example
 * ```ts
 * snippet("json", 'main = "worker.ts"', { main: "worker.ts" }) // '{\n  "main": "worker.ts"\n}'
 * ```
 */
export function snippet(format: WranglerFormat, toml: string, json: Record<string, unknown>): string {
  return format === "toml" ? toml : JSON.stringify(json, null, 2);
}
