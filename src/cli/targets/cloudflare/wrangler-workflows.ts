import type { Metafile } from "esbuild";
import type { SkiffApp } from "../../app/load.js";
import type { Problem } from "../../errors.js";
import { cronKey } from "../../../triggers/cron/index.js";
import { workflowTimerCron } from "../../../workflows/consumer.js";
import { WORKFLOW_QUEUE } from "../../../workflows/schema.js";
import { workflowBindingName, workflowClassName } from "../../../workflows/cloudflare/names.js";
import { wranglerProblems } from "./wrangler-check.js";
import { snippet, type WranglerFormat } from "./wrangler-config.js";

/**
 * One `[[workflows]]` entry: Cloudflare's name of the Workflow, the binding the Worker reads, the exported class.
 * https://developers.cloudflare.com/workflows/build/workers-api/#bind-from-pages
 *
 * @example
 * ```ts
 * const entry: WorkflowEntry = { name: "shop-checkout", binding: "CHECKOUT_WORKFLOW", class_name: "CheckoutWorkflow" };
 * ```
 */
export interface WorkflowEntry {
  name: string;
  binding: string;
  class_name: string;
}

/**
 * The `[[workflows]]` entries of an app on Cloudflare Workflows, with toCloudflare's default binding names. The
 * Workflow's name is `<worker>-<workflow>` (unique in the account, as Cloudflare requires).
 *
 * @example
 * ```ts
 * workflowEntries(["checkout"], "shop"); // [{ name: "shop-checkout", binding: "CHECKOUT_WORKFLOW", class_name: "CheckoutWorkflow" }]
 * ```
 */
export function workflowEntries(workflows: readonly string[], worker: string): WorkflowEntry[] {
  return workflows.map((w) => ({
    name: `${worker}-${w}`,
    binding: workflowBindingName(w),
    class_name: workflowClassName(w),
  }));
}

/**
 * The TOML of {@link workflowEntries}.
 *
 * @example
 * ```ts
 * workflowsToml([{ name: "shop-checkout", binding: "CHECKOUT_WORKFLOW", class_name: "CheckoutWorkflow" }]);
 * ```
 */
export function workflowsToml(entries: readonly WorkflowEntry[]): string {
  return entries
    .map((e) => `[[workflows]]\nname = "${e.name}"\nbinding = "${e.binding}"\nclass_name = "${e.class_name}"`)
    .join("\n\n");
}

/**
 * Which engine a Worker runs its workflows on, from what its entry exports: Cloudflare Workflows when it exports the
 * entrypoint class of any declared workflow (`export const { CheckoutWorkflow } = cloudflareWorkflows(worker)`), else
 * skiff's portable engine. Reads esbuild's metafile of the entry's bundle.
 *
 * @example
 * ```ts
 * workflowEngine(app, entryExports(result.metafile)); // "cloudflare"
 * ```
 */
export function workflowEngine(app: SkiffApp, exports: readonly string[]): "cloudflare" | "portable" {
  const classes = new Set<string>([...app.triggers.workflowSchemas.keys()].map((w) => workflowClassName(w)));
  return exports.some((e) => classes.has(e)) ? "cloudflare" : "portable";
}

/**
 * The names the bundle's entry exports (esbuild's metafile of a one-entry build).
 *
 * @example
 * ```ts
 * entryExports(result.metafile); // ["default", "CheckoutWorkflow"]
 * ```
 */
export function entryExports(metafile: Metafile): string[] {
  const entry = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  return entry?.exports ?? [];
}

/**
 * Checks the `[[workflows]]` of a wrangler config against the app on Cloudflare Workflows: every declared workflow has
 * its class exported by the entry and an entry with that `class_name`; a binding other than the default is a warning
 * (right only when `toCloudflare`'s `workflows.bindings` names it). On the portable engine, an entry naming one of the
 * app's classes is a warning: the Worker exports no such class.
 *
 * @example
 * ```ts
 * const problems = checkWorkflows(app, config, { file: "wrangler.toml", format: "toml", exports: ["default"] });
 * ```
 */
export function checkWorkflows(
  app: SkiffApp,
  config: Record<string, unknown>,
  options: { file: string; format: WranglerFormat; exports: readonly string[]; entry: string },
): Problem[] {
  const declared = [...app.triggers.workflowSchemas.keys()];
  if (!declared.length) return [];
  const { problems, problem } = wranglerProblems(options.file);
  const listed = (Array.isArray(config.workflows) ? config.workflows : []) as Partial<WorkflowEntry>[];
  const worker = typeof config.name === "string" ? config.name : "skiff-app";
  if (workflowEngine(app, options.exports) === "portable") {
    for (const w of declared) {
      const entry = listed.find((e) => e.class_name === workflowClassName(w));
      if (entry)
        problem(
          `[[workflows]] class_name = "${entry.class_name}", but ${options.entry} does not export it: the workflows run on skiff's portable engine. For Cloudflare Workflows, pass toCloudflare(app, { workflows: { engine: "cloudflare" } }) and export the classes of cloudflareWorkflows(worker)`,
          undefined,
          "warning",
        );
    }
    return problems;
  }
  for (const w of declared) {
    const className = workflowClassName(w);
    if (!options.exports.includes(className)) {
      problem(
        `workflow "${w}" runs on Cloudflare Workflows but ${options.entry} does not export its class ${className}`,
        `export const { ${className} } = cloudflareWorkflows(worker);`,
      );
    }
    const entry = listed.find((e) => e.class_name === className);
    const [expected] = workflowEntries([w], worker) as [WorkflowEntry];
    if (!entry) {
      problem(
        `no [[workflows]] entry with class_name = "${className}" (workflow "${w}")`,
        snippet(options.format, workflowsToml([expected]), { workflows: [expected] }),
      );
    } else if (entry.binding !== expected.binding) {
      problem(
        `[[workflows]] class_name = "${className}" has binding = "${String(entry.binding)}"; toCloudflare() reads ${expected.binding} unless workflows.bindings.${w} says "${String(entry.binding)}"`,
        undefined,
        "warning",
      );
    }
  }
  return problems;
}

/**
 * On Cloudflare Workflows the portable engine's queue (`skiff-workflows`) and timer cron are not used: drops the
 * problems that ask for them (the cron only when no handler of the app's own shares its expression).
 *
 * @example
 * ```ts
 * problems = withoutPortableEngine(app, problems);
 * ```
 */
export function withoutPortableEngine(app: SkiffApp, problems: Problem[]): Problem[] {
  const cron = app.triggers.workflowTimerCron;
  const timerOnly = (app.triggers.crons.get(cronKey(cron)) ?? []).every(
    (r) => r.handler === workflowTimerCron,
  );
  return problems.filter(
    (p) => !p.message.includes(`"${WORKFLOW_QUEUE}"`) && !(timerOnly && p.message.includes(`"${cron}"`)),
  );
}

/**
 * What a generated wrangler.toml holds for an app on Cloudflare Workflows: its `[[workflows]]` TOML, and the portable
 * engine's queue and timer cron to leave out (the cron only when no handler of the app's own shares it).
 *
 * @example
 * ```ts
 * const { toml, queue, cron } = cloudflareWorkflowsToml(app, "shop");
 * ```
 */
export interface WorkflowsToml {
  toml: string;
  queue: string;
  cron: string | undefined;
}

/**
 * The {@link WorkflowsToml} of an app, for a Worker named `worker`.
 *
 * @example
 * ```ts
 * cloudflareWorkflowsToml(app, "shop").toml; // '[[workflows]]\nname = "shop-checkout"\n...'
 * ```
 */
export function cloudflareWorkflowsToml(app: SkiffApp, worker: string): WorkflowsToml {
  const { triggers } = app;
  return {
    toml: workflowsToml(workflowEntries([...triggers.workflowSchemas.keys()], worker)),
    queue: WORKFLOW_QUEUE,
    cron: timerCronOnly(app) ? triggers.workflowTimerCron : undefined,
  };
}

// Whether the timer cron's expression has no handler but the portable engine's.
function timerCronOnly(app: SkiffApp): boolean {
  const cron = app.triggers.workflowTimerCron;
  return (app.triggers.crons.get(cronKey(cron)) ?? []).every((r) => r.handler === workflowTimerCron);
}
