import { pathToFileURL } from "node:url";
import type { TriggerRegistry } from "../../triggers/registry.js";
import { CliError } from "../errors.js";
import type { Project } from "../project.js";

/**
 * What the CLI needs of a skiff app: Hono's route list and skiff's trigger registry. Structural, so an app built
 * against another copy of skiff (dist instead of src) still loads.
 *
 * @example
 * ```ts
 * const app: SkiffApp = await loadApp(project);
 * console.log(app.routes.length, [...app.triggers.crons.keys()]);
 * ```
 */
export interface SkiffApp {
  readonly routes: ReadonlyArray<{
    readonly method: string;
    readonly path: string;
    readonly handler: (...args: never[]) => unknown;
  }>;
  readonly triggers: TriggerRegistry;
}

/**
 * Imports the project's app module and returns its skiff app: the export named by `skiff.export`, else `app`, else
 * the default export, else the only export that is a skiff app. A module that throws while loading (a bad cron
 * expression, an undeclared queue) becomes a {@link CliError} carrying the module's message.
 *
 * @example
 * ```ts
 * const app = await loadApp(resolveProject({ app: "examples/shop/app.ts" }));
 * ```
 */
export async function loadApp(project: Project): Promise<SkiffApp> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(project.app).href)) as Record<string, unknown>;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/^\[skiff\] /, "");
    throw new CliError(`could not load the app module ${project.rel(project.app)}: ${message}`, 2, {
      cause: error,
    });
  }
  const names = project.exportName ? [project.exportName] : ["app", "default"];
  for (const name of names) if (isSkiffApp(module[name])) return module[name];
  const candidates = Object.values(module).filter(isSkiffApp);
  if (!project.exportName && candidates.length === 1 && candidates[0]) return candidates[0];
  const exported = Object.keys(module).join(", ") || "nothing";
  throw new CliError(
    `${project.rel(project.app)} exports no skiff app as ${names.map((n) => `"${n}"`).join(" or ")} (it exports: ${exported}); ` +
      'export it as `export const app = new Skiff(...)` or set "skiff.export" in package.json',
  );
}

/**
 * Whether a value looks like a skiff app (a Hono app with a trigger registry).
 *
 * @example
 * ```ts
 * isSkiffApp(new Skiff()) // true
 * isSkiffApp(new Hono())  // false
 * ```
 */
export function isSkiffApp(value: unknown): value is SkiffApp {
  const candidate = value as Partial<SkiffApp> | null | undefined;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    Array.isArray(candidate.routes) &&
    candidate.triggers?.crons instanceof Map &&
    candidate.triggers.queues instanceof Map &&
    candidate.triggers.schemas instanceof Map
  );
}
