import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { AppManifest } from "../../app/manifest.js";
import { MiB } from "../../bundle/sizes.js";
import type { Problem } from "../../errors.js";
import { pickPlan, PLANS } from "../plans.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target } from "../types.js";
import { checkWrangler, consumerBlock } from "./wrangler-check.js";
import { queueBindingName } from "../../../adapters/cloudflare/options.js";
import {
  configFormat,
  findWranglerConfig,
  parseWranglerConfig,
  readWranglerConfig,
} from "./wrangler-config.js";
import { supportedCompatibilityDate, workerdBuiltins } from "./workerd.js";
import { bundle } from "../../bundle/bundle.js";
import {
  checkR2Buckets,
  notificationCommands,
  r2Plan,
  r2Toml,
  type R2BucketPlan,
} from "./wrangler-storage.js";
import {
  checkWorkflows,
  cloudflareWorkflowsToml,
  entryExports,
  workflowEngine,
  workflowEntries,
  withoutPortableEngine,
  type WorkflowsToml,
} from "./wrangler-workflows.js";

const LIMITS: Record<(typeof PLANS.cloudflare)[number], { bytes: number; label: string }> = {
  free: { bytes: 3 * MiB, label: "Workers Free: 3 MiB compressed" },
  paid: { bytes: 10 * MiB, label: "Workers Paid: 10 MiB compressed" },
};

/**
 * A complete `wrangler.toml` for the app, printed when the project has none. Its `compatibility_date` is the newest
 * the installed workerd supports (see {@link supportedCompatibilityDate}), so `wrangler dev` accepts it.
 *
 * @example
 * ```ts
 * console.log(wranglerToml(manifest, { name: "shop", main: "src/worker.ts", compatibilityDate: "2026-04-26" }));
 * ```
 */
export function wranglerToml(
  manifest: AppManifest,
  options: {
    name: string;
    main: string;
    compatibilityDate: string;
    /** On Cloudflare Workflows: the `[[workflows]]` TOML, and the portable engine's queue and cron to leave out. */
    workflows?: WorkflowsToml;
    /** The app's buckets (`r2Plan(app)`): one `[[r2_buckets]]` each. */
    buckets?: readonly R2BucketPlan[];
  },
): string {
  const skip = options.workflows;
  const crons = manifest.crons.filter((c) => c.expression !== skip?.cron);
  const queues = manifest.queues.filter((q) => q.name !== skip?.queue);
  const lines = [
    `name = "${options.name}"`,
    `main = "${options.main}"`,
    `compatibility_date = "${options.compatibilityDate}"`,
    "",
    "[vars]",
    'TURSO_DATABASE_URL = "libsql://<database>-<org>.turso.io" # and: npx wrangler secret put TURSO_AUTH_TOKEN',
    "",
    "[[kv_namespaces]]",
    'binding = "KV"',
    'id = "<id from: npx wrangler kv namespace create KV>"',
  ];
  if (crons.length)
    lines.push("", "[triggers]", `crons = [${crons.map((c) => JSON.stringify(c.expression)).join(", ")}]`);
  for (const q of queues)
    lines.push("", "[[queues.producers]]", `queue = "${q.name}"`, `binding = "${queueBindingName(q.name)}"`);
  for (const q of queues) if (q.consumer) lines.push("", consumerBlock(q.name, q.consumer.options));
  if (options.buckets?.length) lines.push("", r2Toml(options.buckets));
  if (skip) lines.push("", skip.toml);
  return `${lines.join("\n")}\n`;
}

/**
 * Cloudflare Workers: bundles `worker.ts` for workerd (conditions `workerd`, `worker`, `browser`; no Node
 * built-ins but those workerd provides under `nodejs_compat`), checks it against the plan's compressed size limit,
 * checks the wrangler config (`wrangler.json`, `wrangler.jsonc` or `wrangler.toml`, wrangler's precedence) against
 * the app, and writes `wrangler.json` next to the bundle: the project's wrangler config with `main` pointing at the
 * bundle and `no_bundle`, so `wrangler deploy -c .skiff/build/cloudflare/wrangler.json` ships exactly what was
 * measured.
 *
 * @example
 * ```ts
 * const entry = cloudflare.resolveEntry(input); // examples/shop/worker.ts
 * ```
 */
export const cloudflare: Target = {
  name: "cloudflare",
  defaultEntry: (input) => join(appDir(input.project), "worker.ts"),
  resolveEntry: (input) =>
    entryFile(
      input,
      "worker.ts",
      "Cloudflare Worker",
      'import { toCloudflare } from "skiff/cloudflare"; export default toCloudflare(app);',
    ),
  edge: () => true,
  bundleSpec: (input, entry, outDir) => {
    const config = readWranglerConfig(input.project.root, input.config)?.config ?? {};
    const date = typeof config.compatibility_date === "string" ? config.compatibility_date : undefined;
    const flags = Array.isArray(config.compatibility_flags)
      ? config.compatibility_flags.filter((f): f is string => typeof f === "string")
      : [];
    return {
      root: input.project.root,
      entry,
      outDir,
      outFile: "worker.js",
      runtime: "edge",
      conditions: ["workerd", "worker", "browser"],
      providedBuiltins: () => workerdBuiltins(input.project.root, date, flags),
    };
  },
  limits: (input) => [{ measure: "gzip", ...LIMITS[pickPlan(input.plan, PLANS.cloudflare)] }],
  async check(input, entry) {
    const { file, exists } = findWranglerConfig(input.project.root, input.config);
    const rel = input.project.rel(file);
    const main = relative(dirname(file), entry).split("\\").join("/");
    const compatibilityDate = supportedCompatibilityDate(input.project.root);
    // The workflow engine shows in what the entry exports (the Workflow classes); a bundle that fails is reported
    // by the caller, and the workflow checks are skipped.
    const exports = input.app.triggers.workflowSchemas.size
      ? await bundle({
          ...this.bundleSpec(input, entry, join(input.project.outDir, "cloudflare")),
          write: false,
        })
          .then((result) => entryExports(result.metafile))
          .catch(() => undefined)
      : undefined;
    const onCloudflare = !!exports && workflowEngine(input.app, exports) === "cloudflare";
    if (!exists) {
      const workflows = onCloudflare ? cloudflareWorkflowsToml(input.app, "skiff-app") : undefined;
      return [
        {
          target: "cloudflare",
          file: rel,
          message: "does not exist; create it with",
          fix: wranglerToml(input.manifest, {
            name: "skiff-app",
            main,
            compatibilityDate,
            ...(workflows ? { workflows } : {}),
            buckets: r2Plan(input.app),
          }),
          severity: "error",
        },
      ];
    }
    const source = readFileSync(file, "utf8");
    let problems = checkWrangler(input.manifest, source, {
      file: rel,
      entry: main,
      supportedDate: compatibilityDate,
    });
    if (onCloudflare) problems = withoutPortableEngine(input.app, problems);
    try {
      const format = configFormat(file);
      problems.push(
        ...checkR2Buckets(r2Plan(input.app), parseWranglerConfig(source, format), { file: rel, format }),
      );
    } catch {
      // checkWrangler reported the parse error
    }
    if (exports) {
      try {
        const config = parseWranglerConfig(source, configFormat(file));
        const format = configFormat(file);
        problems.push(
          ...checkWorkflows(input.app, config, {
            file: rel,
            format,
            exports,
            entry: input.project.rel(entry),
          }),
        );
      } catch {
        // checkWrangler reported the parse error
      }
    }
    return problems.map((p) => ({ ...p, severity: p.severity ?? "error" }));
  },
  async emit(input, entry, outDir, result) {
    const problems: Problem[] = await this.check(input, entry);
    const { file, exists } = findWranglerConfig(input.project.root, input.config);
    if (!exists) return { files: [], problems };
    let config: Record<string, unknown>;
    try {
      config = parseWranglerConfig(readFileSync(file, "utf8"), configFormat(file));
    } catch {
      return { files: [], problems }; // check() reported it
    }
    // Paths in a wrangler config are relative to the config file; the bundle needs no alias or build step, and
    // the editor's relative $schema would point nowhere from the build directory.
    const { alias: _alias, build: _build, $schema: _schema, ...rest } = config;
    // On Cloudflare Workflows, the deployed config carries a [[workflows]] entry for every workflow it lacks.
    const exports = entryExports(result.metafile);
    const workflows = Array.isArray(rest.workflows)
      ? (rest.workflows as Array<{ class_name?: unknown }>)
      : [];
    if (workflowEngine(input.app, exports) === "cloudflare") {
      const worker = typeof rest.name === "string" ? rest.name : "skiff-app";
      const missing = workflowEntries([...input.app.triggers.workflowSchemas.keys()], worker).filter(
        (e) => !workflows.some((w) => w.class_name === e.class_name),
      );
      if (missing.length) rest.workflows = [...workflows, ...missing];
    }
    const deployable = {
      ...rest,
      main: "worker.js",
      no_bundle: true,
      rules: [{ type: "ESModule", globs: ["**/*.js"] }],
    };
    const out = join(outDir, "wrangler.json");
    writeFileSync(out, `${JSON.stringify(deployable, null, 2)}\n`);
    // R2 keeps notification rules in the bucket, not in the config: say how to create them.
    const storage = notificationCommands(r2Plan(input.app));
    const notes = [`deploy: npx wrangler deploy -c ${input.project.rel(out)}`];
    if (storage.length) notes.push(`storage events (once per bucket rule): ${storage.join(" && ")}`);
    return { files: [out], problems, notes };
  },
};
