import { loadApp, type SkiffApp } from "../app/load.js";
import { describeApp, type AppManifest } from "../app/manifest.js";
import { CliError } from "../errors.js";
import { resolveProject, type Project } from "../project.js";
import { parseSize } from "../bundle/sizes.js";
import { validatePlans } from "../targets/plans.js";
import type { TargetInput } from "../targets/types.js";

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

/**
 * Loads the project and its app and combines them with the target flags every target command takes
 * (`--entry`, `--config`, `--plan`, `--base-path`), after checking the plans.
 *
 * @example
 * ```ts
 * const input = await loadTargetInput({ app: "examples/shop/app.ts", plan: "free" });
 * ```
 */
export async function loadTargetInput(
  options: ProjectOptions & Pick<TargetInput, "entry" | "config" | "plan" | "basePath">,
): Promise<TargetInput> {
  validatePlans(options.plan);
  const context = await loadContext(options);
  return {
    ...context,
    entry: options.entry,
    config: options.config,
    plan: options.plan,
    basePath: options.basePath,
  };
}
