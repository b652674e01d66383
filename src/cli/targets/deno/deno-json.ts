import { existsSync, readFileSync } from "node:fs";
import type { Problem } from "../../errors.js";
import type { TargetInput } from "../types.js";

/**
 * The `deno.json` skiff writes beside a Deno bundle: the unstable APIs the adapter uses (Deno KV for `kv` and
 * queues, Deno.cron for crons), tasks that serve the bundle locally with the permissions it needs, and the entry
 * Deno Deploy runs. https://docs.deno.com/runtime/fundamentals/configuration/
 *
 * @example
 * ```ts
 * denoJson("main.js", true).unstable; // ["kv", "cron"]
 * ```
 */
export function denoJson(main: string, crons: boolean): Record<string, unknown> {
  const flags = "--allow-net --allow-env --allow-read --allow-write";
  return {
    unstable: crons ? ["kv", "cron"] : ["kv"],
    tasks: {
      start: `deno serve ${flags} ${main}`,
      dev: `deno serve --watch --env-file=.env ${flags} ${main}`,
    },
    deploy: { entrypoint: main },
  };
}

/**
 * The variables a Deno Deploy app needs, in the format of a `.env` file: the database (`TURSO_DATABASE_URL`,
 * `TURSO_AUTH_TOKEN`) and what the app declares in `skiff.env` of package.json, each with its description.
 *
 * @example
 * ```ts
 * envExample(input); // "# libSQL URL ...\nTURSO_DATABASE_URL=\n..."
 * ```
 */
export function envExample(input: TargetInput): string {
  const lines = [
    "# The libSQL database over HTTP: libsql://<db>-<org>.turso.io (turso db show --url <db>)",
    "TURSO_DATABASE_URL=",
    "# Its token (turso db tokens create <db>); a secret",
    "TURSO_AUTH_TOKEN=",
  ];
  for (const variable of input.project.env) {
    const about = [variable.description, variable.secret ? "a secret" : undefined].filter(Boolean).join("; ");
    if (about) lines.push(`# ${about}`);
    lines.push(`${variable.name}=${variable.default ?? ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Checks a project's own `deno.json` (when it has one) against the app: Deno KV must be enabled (`kv` and the
 * queues use it) and Deno.cron when the app has crons, or the deployed app fails at start-up.
 *
 * @example
 * ```ts
 * checkDenoJson(input, "/repo/deno.json", "deno.json"); // [] when "unstable": ["kv", "cron"]
 * ```
 */
export function checkDenoJson(input: TargetInput, file: string, label: string): Problem[] {
  if (!existsSync(file)) return [];
  let config: { unstable?: unknown };
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as { unstable?: unknown };
  } catch (error) {
    return [{ target: "deno", file: label, message: `${label} is not valid JSON: ${String(error)}` }];
  }
  const unstable = Array.isArray(config.unstable) ? config.unstable : [];
  const needed = input.manifest.crons.length > 0 ? ["kv", "cron"] : ["kv"];
  return needed
    .filter((flag) => !unstable.includes(flag))
    .map((flag) => ({
      target: "deno",
      file: label,
      message: `${label} does not enable Deno ${flag === "kv" ? "KV (kv and queues)" : "cron (the app's crons)"}`,
      fix: `add "${flag}" to "unstable" in ${label} (or run with --unstable-${flag})`,
    }));
}
