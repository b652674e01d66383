// Build-time only (the CLI, scripts): reads and writes files, so it is not exported from `skiff/vercel`, whose
// modules must bundle for the edge runtime.
import { readFile, writeFile } from "node:fs/promises";
import { SkiffError } from "../../../errors.js";
import type { TriggerRegistry } from "../../../triggers/registry.js";
import {
  diffVercelCrons,
  withVercelCrons,
  type VercelCronDiff,
  type VercelCronOptions,
  type VercelJson,
} from "./vercel-config.js";

/**
 * Reads a `vercel.json`: `undefined` when the file does not exist, a SkiffError naming the file when it is not a JSON
 * object or its `crons` is not an array.
 *
 * @example
 * ```ts
 * const config = (await readVercelJson("vercel.json")) ?? {};
 * ```
 */
export async function readVercelJson(file: string | URL): Promise<VercelJson | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SkiffError(`${String(file)} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SkiffError(`${String(file)} must contain a JSON object`);
  }
  const config = parsed as VercelJson;
  if (config.crons !== undefined && !Array.isArray(config.crons))
    throw new SkiffError(`${String(file)}: "crons" must be an array`);
  return config;
}

/**
 * Writes the app's cron entries into `vercel.json` (created when missing), keeping every other setting and the
 * user's own cron entries. Returns the document written. Run it at build time so the file cannot drift from the
 * app's `app.cron()` registrations.
 *
 * @example
 * ```ts
 * // build scripts and the CLI only: this module uses node:fs
 * import { writeVercelJson } from "../src/cli/targets/vercel/vercel-json.js";
 * await writeVercelJson(app, "vercel.json", { basePath: "/api" });
 * ```
 */
export async function writeVercelJson(
  app: { readonly triggers: TriggerRegistry },
  file: string | URL,
  options: VercelCronOptions = {},
): Promise<VercelJson> {
  const config = withVercelCrons(
    (await readVercelJson(file)) ?? { $schema: "https://openapi.vercel.sh/vercel.json" },
    app,
    options,
  );
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
  return config;
}

/**
 * Checks that `vercel.json` lists exactly the app's skiff cron entries (a missing file lists none). For CI and
 * `skiff check`: `ok` is false when the file must be regenerated with {@link writeVercelJson}.
 *
 * @example
 * ```ts
 * const diff = await checkVercelJson(app, "vercel.json", { basePath: "/api" });
 * if (!diff.ok) console.error("vercel.json is out of date", diff.missing, diff.stale);
 * ```
 */
export async function checkVercelJson(
  app: { readonly triggers: TriggerRegistry },
  file: string | URL,
  options: VercelCronOptions = {},
): Promise<VercelCronDiff> {
  return diffVercelCrons((await readVercelJson(file)) ?? {}, app, options);
}
