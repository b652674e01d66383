// Build-time: the [functions] settings of netlify.toml (https://docs.netlify.com/build/configure-builds/file-based-configuration/#functions),
// read, checked against what skiff generates, and written when missing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parse } from "smol-toml";
import type { Problem } from "../../errors.js";

/** Where skiff writes the function files when netlify.toml names no other directory: Netlify's default. */
export const DEFAULT_FUNCTIONS_DIR = "netlify/functions";

/**
 * The netlify.toml skiff writes for a site that has none: the functions directory, and esbuild as the bundler (the
 * entry and the app are TypeScript modules; Netlify's older `zisi` bundler does not compile them).
 *
 * @example
 * ```ts
 * netlifyToml(); // '[functions]\ndirectory = "netlify/functions"\nnode_bundler = "esbuild"\n' with a comment
 * ```
 */
export function netlifyToml(): string {
  return [
    "# Written by `skiff build --target netlify`; `skiff check` reads it. skiff's functions (the HTTP function and",
    "# one scheduled function per app.cron() expression) are generated into the directory below.",
    "[functions]",
    `directory = "${DEFAULT_FUNCTIONS_DIR}"`,
    'node_bundler = "esbuild"',
    "",
  ].join("\n");
}

/**
 * What skiff reads of a netlify.toml: the functions directory (`[functions] directory`, else the older
 * `[build] functions`), the bundler, and the names of per-function sections that set a `schedule`.
 *
 * @example
 * ```ts
 * const settings: NetlifyTomlSettings = { exists: true, directory: "netlify/functions", bundler: "esbuild", scheduled: [] };
 * ```
 */
export interface NetlifyTomlSettings {
  exists: boolean;
  directory: string;
  bundler: string | undefined;
  scheduled: string[];
  problems: Problem[];
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Table) : undefined;

/**
 * Reads the settings of `file` ({@link NetlifyTomlSettings}); a file that does not parse is a problem naming it.
 *
 * @example
 * ```ts
 * readNetlifyToml("/site/netlify.toml", "netlify.toml").directory; // "netlify/functions"
 * ```
 */
export function readNetlifyToml(file: string, label: string): NetlifyTomlSettings {
  const none = { directory: DEFAULT_FUNCTIONS_DIR, bundler: undefined, scheduled: [] };
  if (!existsSync(file)) return { exists: false, ...none, problems: [] };
  let doc: Table;
  try {
    doc = parse(readFileSync(file, "utf8")) as Table;
  } catch (error) {
    const message = `${label} is not valid TOML: ${error instanceof Error ? error.message : String(error)}`;
    return { exists: true, ...none, problems: [{ target: "netlify", file: label, message }] };
  }
  const functions = table(doc.functions) ?? {};
  const build = table(doc.build) ?? {};
  const directory =
    typeof functions.directory === "string"
      ? functions.directory
      : typeof build.functions === "string"
        ? build.functions
        : DEFAULT_FUNCTIONS_DIR;
  const bundler = typeof functions.node_bundler === "string" ? functions.node_bundler : undefined;
  const scheduled = Object.entries(functions)
    .filter(([name, value]) => name.startsWith("skiff") && table(value)?.schedule !== undefined)
    .map(([name]) => name);
  return { exists: true, directory, bundler, scheduled, problems: [] };
}

/**
 * The problems of a netlify.toml for skiff's functions: none when it is missing (the build writes it), a bundler that
 * cannot compile TypeScript, and a `schedule` set in netlify.toml for one of skiff's functions, which would fight the
 * schedule the generated file declares.
 *
 * @example
 * ```ts
 * netlifyTomlProblems(readNetlifyToml(file, "netlify.toml"), "netlify.toml"); // []
 * ```
 */
export function netlifyTomlProblems(settings: NetlifyTomlSettings, label: string): Problem[] {
  const problems = [...settings.problems];
  if (settings.bundler !== undefined && settings.bundler !== "esbuild")
    problems.push({
      target: "netlify",
      file: label,
      message: `[functions] node_bundler is "${settings.bundler}", which does not compile the TypeScript entry skiff's functions import`,
      fix: `set node_bundler = "esbuild" under [functions] in ${label}`,
    });
  for (const name of settings.scheduled)
    problems.push({
      target: "netlify",
      file: label,
      message: `[functions."${name}"] sets a schedule, but skiff's function files declare their own (config.schedule), from the app's crons`,
      fix: `remove the schedule of [functions."${name}"] from ${label}`,
    });
  return problems;
}

/** Writes {@link netlifyToml} to `file` when it does not exist; returns whether it wrote. */
export function writeNetlifyTomlIfMissing(file: string): boolean {
  if (existsSync(file)) return false;
  writeFileSync(file, netlifyToml());
  return true;
}
