import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parse } from "smol-toml";
import type { AppManifest } from "../../app/manifest.js";
import { MiB } from "../../bundle/sizes.js";
import type { Problem } from "../../errors.js";
import { pickPlan, PLANS } from "../plans.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target, TargetInput } from "../types.js";
import { checkWrangler, consumerBlock } from "./wrangler-check.js";
import { queueBindingName } from "../../../adapters/cloudflare/options.js";

const LIMITS: Record<(typeof PLANS.cloudflare)[number], { bytes: number; label: string }> = {
  free: { bytes: 3 * MiB, label: "Workers Free: 3 MiB compressed" },
  paid: { bytes: 10 * MiB, label: "Workers Paid: 10 MiB compressed" },
};

function configFile(input: TargetInput): string {
  return resolve(input.project.root, input.config ?? "wrangler.toml");
}

/**
 * A complete `wrangler.toml` for the app, printed when the project has none.
 *
 * @example
 * ```ts
 * console.log(wranglerToml(manifest, { name: "shop", main: "src/worker.ts" }));
 * ```
 */
export function wranglerToml(manifest: AppManifest, options: { name: string; main: string }): string {
  const lines = [
    `name = "${options.name}"`,
    `main = "${options.main}"`,
    `compatibility_date = "${new Date().toISOString().slice(0, 10)}"`,
    "",
    "[vars]",
    'TURSO_DATABASE_URL = "libsql://<database>-<org>.turso.io" # and: npx wrangler secret put TURSO_AUTH_TOKEN',
    "",
    "[[kv_namespaces]]",
    'binding = "KV"',
    'id = "<id from: npx wrangler kv namespace create KV>"',
  ];
  if (manifest.crons.length)
    lines.push(
      "",
      "[triggers]",
      `crons = [${manifest.crons.map((c) => JSON.stringify(c.expression)).join(", ")}]`,
    );
  for (const q of manifest.queues)
    lines.push("", "[[queues.producers]]", `queue = "${q.name}"`, `binding = "${queueBindingName(q.name)}"`);
  for (const q of manifest.queues) if (q.consumer) lines.push("", consumerBlock(q.name, q.consumer.options));
  return `${lines.join("\n")}\n`;
}

/**
 * Cloudflare Workers: bundles `worker.ts` for workerd (conditions `workerd`, `worker`, `browser`; no Node
 * built-ins), checks it against the plan's compressed size limit, checks `wrangler.toml` against the app, and
 * writes `wrangler.json` next to the bundle: the project's wrangler config with `main` pointing at the bundle and
 * `no_bundle`, so `wrangler deploy -c .skiff/build/cloudflare/wrangler.json` ships exactly what was measured.
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
  bundleSpec: (input, entry, outDir) => ({
    root: input.project.root,
    entry,
    outDir,
    outFile: "worker.js",
    runtime: "edge",
    conditions: ["workerd", "worker", "browser"],
  }),
  limits: (input) => [{ measure: "gzip", ...LIMITS[pickPlan(input.plan, PLANS.cloudflare)] }],
  async check(input, entry) {
    const file = configFile(input);
    const rel = input.project.rel(file);
    if (!existsSync(file)) {
      const main = relative(dirname(file), entry).split("\\").join("/");
      return [
        {
          target: "cloudflare",
          file: rel,
          message: "does not exist; create it with",
          fix: wranglerToml(input.manifest, { name: "skiff-app", main }),
        },
      ];
    }
    const main = relative(dirname(file), entry).split("\\").join("/");
    return checkWrangler(input.manifest, readFileSync(file, "utf8"), { file: rel, entry: main });
  },
  async emit(input, entry, outDir) {
    const problems: Problem[] = await this.check(input, entry);
    const file = configFile(input);
    if (!existsSync(file)) return { files: [], problems };
    const config = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    // Paths in a wrangler config are relative to the config file; the bundle needs no alias or build step.
    const { alias: _alias, build: _build, ...rest } = config;
    const deployable = {
      ...rest,
      main: "worker.js",
      no_bundle: true,
      rules: [{ type: "ESModule", globs: ["**/*.js"] }],
    };
    const out = join(outDir, "wrangler.json");
    writeFileSync(out, `${JSON.stringify(deployable, null, 2)}\n`);
    return { files: [out], problems, notes: [`deploy: npx wrangler deploy -c ${input.project.rel(out)}`] };
  },
};
