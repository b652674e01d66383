import { loadApp, type SkiffApp } from "../app/load.js";
import { describeApp, type AppManifest } from "../app/manifest.js";
import { CliError } from "../errors.js";
import { resolveProject, type Project } from "../project.js";
import { parseSize } from "../bundle/sizes.js";

/**
 * Options every command shares: where the project is and which app module to load.
 *
 * @example
 * ```ts
 * const options: ProjectOptions = { root: "/repo", app: "examples/shop/app.ts" };
 * ```
 */
export interface ProjectOptions {
  root?: string | undefined;
  app?: string | undefined;
}

/**
 * A loaded project: paths, the app and its manifest.
 *
 * @example
 * ```ts
 * const { project, app, manifest } = await loadContext({ app: "examples/shop/app.ts" });
 * ```
 */
export interface LoadedContext {
  project: Project;
  app: SkiffApp;
  manifest: AppManifest;
}

/**
 * Resolves the project and loads its app.
 *
 * @example
 * ```ts
 * const context = await loadContext({ root: process.cwd() });
 * ```
 */
export async function loadContext(options: ProjectOptions): Promise<LoadedContext> {
  const project = resolveProject(options);
  const app = await loadApp(project);
  return { project, app, manifest: describeApp(app) };
}

/**
 * Parses a `--limit` value, as a {@link CliError} when malformed.
 *
 * @example
 * ```ts
 * limitBytes("800kb") // 819200
 * ```
 */
export function limitBytes(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    return parseSize(text);
  } catch (error) {
    throw new CliError(`--limit: ${(error as Error).message}`);
  }
}
