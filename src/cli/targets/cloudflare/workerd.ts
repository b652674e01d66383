import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Resolves a package the project's wrangler depends on (`workerd`, `@cloudflare/unenv-preset`): from wrangler's
 * own directory first, so it is the copy `wrangler dev` and `wrangler deploy` use, then from the project root.
 * Returns the path of its package.json, or undefined when neither has it.
 *
 * @example
 * ```ts
 * wranglerDependency("/repo", "workerd") // "/repo/node_modules/workerd/package.json"
 * ```
 */
export function wranglerDependency(root: string, name: string): string | undefined {
  const fromRoot = createRequire(join(root, "package.json"));
  const bases: string[] = [];
  try {
    bases.push(fromRoot.resolve("wrangler/package.json"));
  } catch {
    // No wrangler in the project: the root alone.
  }
  bases.push(join(root, "package.json"));
  for (const base of bases) {
    try {
      return createRequire(base).resolve(`${name}/package.json`);
    } catch {
      // Try the next base.
    }
  }
  return undefined;
}

/**
 * The newest compatibility date the installed workerd supports (its `compatibilityDate` export, which is what
 * Miniflare's `supportedCompatibilityDate` reads), never later than `today`; `today` when no workerd is installed.
 * `wrangler dev` refuses a later date ("the newest date supported by this server binary is ...").
 *
 * @example
 * ```ts
 * supportedCompatibilityDate("/repo") // "2026-04-26" with workerd 1.20260426.1, on any later day
 * ```
 */
export function supportedCompatibilityDate(root: string, today: Date = new Date()): string {
  const todayDate = today.toISOString().slice(0, 10);
  const installed = installedWorkerdDate(root);
  return installed !== undefined && installed < todayDate ? installed : todayDate;
}

function installedWorkerdDate(root: string): string | undefined {
  const pkgFile = wranglerDependency(root, "workerd");
  if (!pkgFile) return undefined;
  try {
    const date = (createRequire(pkgFile)(dirname(pkgFile)) as { compatibilityDate?: unknown })
      .compatibilityDate;
    if (typeof date === "string" && /^\d{4}-\d\d-\d\d$/.test(date)) return date;
  } catch {
    // Loading workerd's module fails when its platform binary is missing; its version carries the same date.
  }
  const version = (JSON.parse(readFileSync(pkgFile, "utf8")) as { version?: string }).version ?? "";
  const match = /^\d+\.(\d{4})(\d\d)(\d\d)\./.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

/**
 * How wrangler treats Node built-ins for a compatibility date and flags (Miniflare's `getNodeCompat`):
 * `v2` (`nodejs_compat` from 2024-09-23, or `nodejs_compat_v2`), `v1` (`nodejs_compat` before), `als`
 * (`nodejs_als`), or null (none).
 *
 * @example
 * ```ts
 * nodeCompatMode("2026-04-20", ["nodejs_compat"]) // "v2"
 * ```
 */
export function nodeCompatMode(
  date: string | undefined,
  flags: readonly string[],
): "v1" | "v2" | "als" | null {
  const compat = flags.includes("nodejs_compat");
  if (flags.includes("nodejs_compat_v2")) return "v2";
  if (compat && (date ?? "2000-01-01") >= "2024-09-23" && !flags.includes("no_nodejs_compat_v2")) return "v2";
  if (compat) return "v1";
  return flags.includes("nodejs_als") ? "als" : null;
}

/**
 * The Node built-in specifiers a Worker may import for its compatibility date and flags, kept external as wrangler
 * keeps them: in `v2` every module workerd implements natively (the `external` list of Cloudflare's unenv preset,
 * bare and `node:` names); in `v1` their `node:` names only; with `nodejs_als`, `node:async_hooks`; none otherwise.
 * Modules wrangler would polyfill are not in the list: skiff deploys its bundle as is (`no_bundle`).
 *
 * @example
 * ```ts
 * (await workerdBuiltins("/repo", "2026-04-20", ["nodejs_compat"])).includes("node:buffer") // true
 * ```
 */
export async function workerdBuiltins(
  root: string,
  date: string | undefined,
  flags: readonly string[],
): Promise<string[]> {
  const mode = nodeCompatMode(date, flags);
  if (mode === null) return [];
  if (mode === "als") return ["node:async_hooks"];
  const pkgFile = wranglerDependency(root, "@cloudflare/unenv-preset");
  if (!pkgFile || !existsSync(pkgFile))
    throw new Error(
      "[skiff] nodejs_compat: @cloudflare/unenv-preset (installed with wrangler) says which Node built-ins workerd provides; install wrangler: npm install -D wrangler",
    );
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as {
    exports?: { ".": { import?: string } };
  };
  const entry = join(dirname(pkgFile), pkg.exports?.["."].import ?? "dist/index.mjs");
  const preset = (await import(pathToFileURL(entry).href)) as {
    getCloudflarePreset(compat: { compatibilityDate?: string; compatibilityFlags?: string[] }): {
      external?: string[];
    };
  };
  const external = preset.getCloudflarePreset({
    ...(date ? { compatibilityDate: date } : {}),
    compatibilityFlags: [...flags],
  }).external;
  const names = external ?? [];
  return mode === "v1" ? names.filter((n) => n.startsWith("node:")) : names;
}
