import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CliError } from "./errors.js";
import { TARGET_NAMES, type TargetName } from "./targets/types.js";

/**
 * One environment variable the app reads, declared in the `skiff.env` field of package.json so generated platform
 * config can ask for it: a SAM template parameter (`NoEcho` when `secret`), with `default` when given.
 *
 * @example
 * ```ts
 * const variable: EnvVariable = { name: "SHOP_API_KEY_SHA256", secret: true, description: "sha256 of the admin key" };
 * ```
 */
export interface EnvVariable {
  readonly name: string;
  readonly secret: boolean;
  readonly default?: string;
  readonly description?: string;
}

/**
 * Where things are: the project root, the app module and the defaults the commands derive from them. The app is
 * `--app`, else the `skiff.app` field of package.json, else `src/app.ts`; target entries are `--entry`, else
 * `skiff.entries.<target>`, else files next to the app (`worker.ts`, `lambda.ts`, `node.ts`) or, for Vercel, a
 * route handler in one of the Next.js layouts.
 *
 * @example
 * ```ts
 * const project = resolveProject({ root: process.cwd(), app: undefined });
 * project.app // "/repo/examples/shop/app.ts"
 * ```
 */
export interface Project {
  readonly root: string;
  readonly app: string;
  /** The export holding the app (`skiff.export`); default `app`, then the default export. */
  readonly exportName: string | undefined;
  /** `skiff.outDir`, default `.skiff/build`. */
  readonly outDir: string;
  /** `skiff.entries`: the entry of each target it names, absolute. */
  readonly entries: Readonly<Partial<Record<TargetName, string>>>;
  /** `skiff.env`: the environment variables the app reads besides skiff's own. */
  readonly env: readonly EnvVariable[];
  /**
   * `skiff.vercel.drainSchedule`: when Vercel calls the queue drain path (default `0 0 * * *`, the most Hobby
   * allows), or `false` for no drain cron. On Pro, `"* * * * *"` bounds idle-time delivery latency to a minute.
   */
  readonly vercelDrainSchedule?: string | false;
  /** Paths relative to the root, for messages. */
  rel(file: string): string;
}

/** The `skiff` field of package.json. */
interface PackageConfig {
  app?: string;
  export?: string;
  outDir?: string;
  entries?: Record<string, unknown>;
  env?: Record<string, unknown>;
  vercel?: { drainSchedule?: unknown };
}

/**
 * Resolves the {@link Project} for a root directory and an optional `--app` override.
 *
 * @example
 * ```ts
 * resolveProject({ root: "/repo", app: "test/cli/fixtures/basic/app.ts" });
 * ```
 */
export function resolveProject(options: { root?: string; app?: string | undefined }): Project {
  const root = resolve(options.root ?? process.cwd());
  const file = join(root, "package.json");
  const config = readPackageConfig(file);
  const app = resolve(root, options.app ?? config.app ?? "src/app.ts");
  if (!existsSync(app)) {
    const source = options.app
      ? "--app"
      : config.app
        ? 'the "skiff.app" field of package.json'
        : "the default (src/app.ts)";
    throw new CliError(
      `app module ${relative(root, app) || app} does not exist (from ${source}); pass --app <file>`,
    );
  }
  return {
    root,
    app,
    exportName: config.export,
    outDir: resolve(root, config.outDir ?? ".skiff/build"),
    entries: parseEntries(root, file, config.entries),
    env: parseEnv(file, config.env),
    ...drainScheduleOf(file, config.vercel),
    // Relative inside the project, absolute outside it (a "../../../tmp/x" path helps nobody).
    rel: (path) => {
      const rel = relative(root, path);
      return rel.startsWith("..") || isAbsolute(rel) ? path : rel || ".";
    },
  };
}

function readPackageConfig(file: string): PackageConfig {
  if (!existsSync(file)) return {};
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const field = (pkg as { skiff?: unknown }).skiff;
  if (field === undefined) return {};
  if (!isObject(field)) throw new CliError(`the "skiff" field of ${file} must be an object`);
  for (const key of ["app", "export", "outDir"] as const) {
    if (field[key] !== undefined && typeof field[key] !== "string")
      throw new CliError(`"skiff.${key}" in ${file} must be a string`);
  }
  for (const key of ["entries", "env", "vercel"] as const) {
    if (field[key] !== undefined && !isObject(field[key]))
      throw new CliError(`"skiff.${key}" in ${file} must be an object`);
  }
  return field as PackageConfig;
}

// "entries": { "vercel": "app/api/[[...route]]/route.ts", "lambda": "src/lambda.ts" }, relative to the root.
function parseEntries(root: string, file: string, entries: PackageConfig["entries"]) {
  const resolved: Partial<Record<TargetName, string>> = {};
  for (const [key, value] of Object.entries(entries ?? {})) {
    const target = key === "worker" ? "cloudflare" : key;
    if (!(TARGET_NAMES as readonly string[]).includes(target))
      throw new CliError(
        `"skiff.entries.${key}" in ${file} is not a target (targets: ${TARGET_NAMES.join(", ")})`,
      );
    if (typeof value !== "string" || !value)
      throw new CliError(`"skiff.entries.${key}" in ${file} must be a file path`);
    resolved[target as TargetName] = resolve(root, value);
  }
  return resolved;
}

// "env": { "SHOP_API_KEY_SHA256": { "secret": true, "description": "..." }, "LOG_LEVEL": { "default": "info" } }
function parseEnv(file: string, env: PackageConfig["env"]): EnvVariable[] {
  return Object.entries(env ?? {}).map(([name, value]) => {
    const at = `"skiff.env.${name}" in ${file}`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name))
      throw new CliError(`${at}: a variable name is a letter followed by letters, digits and _`);
    if (!isObject(value))
      throw new CliError(
        `${at} must be an object: { "secret": true, "default": "...", "description": "..." }`,
      );
    const { secret, default: fallback, description, ...rest } = value;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined)
      throw new CliError(`${at}: unknown key "${unknown}" (keys: secret, default, description)`);
    if (secret !== undefined && typeof secret !== "boolean")
      throw new CliError(`${at}: "secret" must be a boolean`);
    for (const [key, v] of Object.entries({ default: fallback, description }))
      if (v !== undefined && typeof v !== "string") throw new CliError(`${at}: "${key}" must be a string`);
    return {
      name,
      secret: secret === true,
      ...(typeof fallback === "string" ? { default: fallback } : {}),
      ...(typeof description === "string" ? { description } : {}),
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The directory of the app module, where target entries are looked for by default.
 *
 * @example
 * ```ts
 * appDir(project) // "/repo/examples/shop"
 * ```
 */
export function appDir(project: Project): string {
  return dirname(project.app);
}

// "vercel": { "drainSchedule": "* * * * *" } (or false); the expression itself is validated with the app's crons.
function drainScheduleOf(
  file: string,
  vercel: PackageConfig["vercel"],
): { vercelDrainSchedule?: string | false } {
  const value = vercel?.drainSchedule;
  if (value === undefined) return {};
  if (value !== false && (typeof value !== "string" || !value.trim()))
    throw new CliError(`"skiff.vercel.drainSchedule" in ${file} must be a cron expression or false`);
  return { vercelDrainSchedule: value };
}
