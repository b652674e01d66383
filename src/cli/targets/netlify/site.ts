// Build-time: the function files of a Netlify site compared with the app, and written.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Problem } from "../../errors.js";
import { GENERATED_MARK, type NetlifyFunctionFile } from "./functions.js";

/**
 * How a functions directory differs from the app's functions: files that are missing, that differ from what skiff
 * generates (`changed`), generated files the app no longer has (`stale`), and files of the same name that skiff did
 * not write (`foreign`, never overwritten).
 *
 * @example
 * ```ts
 * const diff: FunctionsDiff = { missing: ["skiff-queues.mts"], changed: [], stale: [], foreign: [] };
 * ```
 */
export interface FunctionsDiff {
  missing: string[];
  changed: string[];
  stale: string[];
  foreign: string[];
}

const generated = (path: string) => readFileSync(path, "utf8").startsWith(GENERATED_MARK);

/**
 * Compares `dir` with `wanted` ({@link FunctionsDiff}).
 *
 * @example
 * ```ts
 * diffFunctions("/site/netlify/functions", netlifyFunctions(app, "../skiff.js", "")).missing; // []
 * ```
 */
export function diffFunctions(dir: string, wanted: readonly NetlifyFunctionFile[]): FunctionsDiff {
  const diff: FunctionsDiff = { missing: [], changed: [], stale: [], foreign: [] };
  const names = new Set(wanted.map((f) => `${f.name}.mts`));
  for (const f of wanted) {
    const path = join(dir, `${f.name}.mts`);
    if (!existsSync(path)) diff.missing.push(`${f.name}.mts`);
    else if (!generated(path)) diff.foreign.push(`${f.name}.mts`);
    else if (readFileSync(path, "utf8") !== f.text) diff.changed.push(`${f.name}.mts`);
  }
  const present = existsSync(dir) ? readdirSync(dir) : [];
  for (const name of present)
    if (/^skiff.*\.mts$/.test(name) && !names.has(name) && generated(join(dir, name))) diff.stale.push(name);
  return diff;
}

/**
 * The problems `skiff check` reports for a {@link FunctionsDiff}, each saying what to run.
 *
 * @example
 * ```ts
 * functionsProblems(diff, "netlify/functions");
 * ```
 */
export function functionsProblems(diff: FunctionsDiff, label: string): Problem[] {
  const problem = (message: string, fix: string): Problem => ({
    target: "netlify",
    file: label,
    message,
    fix,
  });
  const build = "run skiff build --target netlify";
  return [
    ...diff.missing.map((f) => problem(`${label}/${f} is missing`, build)),
    ...diff.changed.map((f) => problem(`${label}/${f} is out of date with the app`, build)),
    ...diff.stale.map((f) =>
      problem(`${label}/${f} is a function the app no longer has (its cron was removed or changed)`, build),
    ),
    ...diff.foreign.map((f) =>
      problem(
        `${label}/${f} was not written by skiff, but skiff needs that name`,
        `rename or remove ${label}/${f}`,
      ),
    ),
  ];
}

/**
 * Brings `dir` in step with `wanted`: writes what is missing or changed, deletes stale generated files, and leaves
 * foreign files alone (they stay problems). Returns the paths written or deleted; an up-to-date file keeps its mtime.
 *
 * @example
 * ```ts
 * writeFunctions("/site/netlify/functions", netlifyFunctions(app, "../skiff.js", ""));
 * ```
 */
export function writeFunctions(
  dir: string,
  wanted: readonly NetlifyFunctionFile[],
): { written: string[]; deleted: string[] } {
  const diff = diffFunctions(dir, wanted);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of wanted) {
    const name = `${f.name}.mts`;
    if (!diff.missing.includes(name) && !diff.changed.includes(name)) continue;
    writeFileSync(join(dir, name), f.text);
    written.push(join(dir, name));
  }
  const deleted = diff.stale.map((name) => join(dir, name));
  for (const path of deleted) rmSync(path);
  return { written, deleted };
}
