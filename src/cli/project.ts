import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CliError } from "./errors.js";

/**
 * Where things are: the project root, the app module and the defaults the commands derive from them. The app is
 * `--app`, else the `skiff.app` field of package.json, else `src/app.ts`; target entries default to files next to
 * the app (`worker.ts`, `lambda.ts`, `node.ts`, a `vercel/` route handler).
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
  /** Paths relative to the root, for messages. */
  rel(file: string): string;
}

/** The `skiff` field of package.json. */
interface PackageConfig {
  app?: string;
  export?: string;
  outDir?: string;
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
  const config = readPackageConfig(root);
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
    // Relative inside the project, absolute outside it (a "../../../tmp/x" path helps nobody).
    rel: (file) => {
      const path = relative(root, file);
      return path.startsWith("..") || isAbsolute(path) ? file : path || ".";
    },
  };
}

function readPackageConfig(root: string): PackageConfig {
  const file = join(root, "package.json");
  if (!existsSync(file)) return {};
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const field = (pkg as { skiff?: unknown }).skiff;
  if (field === undefined) return {};
  if (typeof field !== "object" || field === null)
    throw new CliError(`the "skiff" field of ${file} must be an object`);
  const config = field as Record<string, unknown>;
  for (const key of ["app", "export", "outDir"] as const) {
    if (config[key] !== undefined && typeof config[key] !== "string")
      throw new CliError(`"skiff.${key}" in ${file} must be a string`);
  }
  return config as PackageConfig;
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
