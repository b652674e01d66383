import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CliError } from "../errors.js";
import { appDir } from "../project.js";
import type { TargetInput } from "./types.js";

/**
 * The entry of a target: `input.entry` when given (`--entry`, or `skiff.entries.<target>` in package.json, which
 * the registry puts there), else `<app dir>/<file>`. Throws a {@link CliError} that names the file, where it came
 * from, and the one-line module that would create it.
 *
 * @example
 * ```ts
 * entryFile(input, "worker.ts", "Cloudflare Worker", 'export default toCloudflare(app); // from "skiff/cloudflare"');
 * ```
 */
export function entryFile(
  input: TargetInput,
  file: string | undefined,
  what: string,
  example: string,
): string {
  const entry = input.entry
    ? resolve(input.project.root, input.entry)
    : file
      ? join(appDir(input.project), file)
      : undefined;
  if (!entry || !existsSync(entry)) {
    const where = entry
      ? `${input.project.rel(entry)}${input.entry && input.entrySource ? ` (from ${input.entrySource})` : ""}`
      : `a ${what} entry next to ${input.project.rel(input.project.app)}`;
    throw new CliError(
      `no ${what} entry: ${where} does not exist. Create it (${example}) or pass --entry <file>`,
    );
  }
  return entry;
}
