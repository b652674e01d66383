import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { MiB } from "../../bundle/sizes.js";
import type { Problem } from "../../errors.js";
import { serverTarget } from "../_server-target.js";
import type { Target, TargetInput } from "../types.js";
import { deployNotes, functionPrefix } from "./deploy.js";
import { checkSchedulerScript } from "./scheduler-check.js";
import { schedulerScript, subscriptionsScript } from "./scripts.js";

const MAIN = "index.mjs";
// Kept out of the bundle: the framework's function registry must be the one its `functions-framework` binary loads
// (a bundled copy would hold the functions where the binary never looks), and libsql is a native addon. Cloud
// Build installs both from the generated package.json.
const EXTERNAL = ["@google-cloud/functions-framework", "libsql"];

function installedVersion(root: string, name: string, fallback: string): string {
  try {
    const require = createRequire(join(root, "package.json"));
    return `^${(JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version}`;
  } catch {
    return fallback;
  }
}

/**
 * @internal The package.json Cloud Build installs and the framework starts (`main`, ESM), with the versions of the
 * framework and libsql installed in the project.
 *
 * @example
 * ```ts
 * gcpPackageJson(input, "shop").main // "index.mjs"
 * ```
 */
export function gcpPackageJson(input: TargetInput, prefix: string): Record<string, unknown> {
  return {
    name: prefix,
    private: true,
    type: "module",
    main: MAIN,
    engines: { node: ">=20" },
    scripts: { start: `functions-framework --target=skiff` },
    dependencies: {
      "@google-cloud/functions-framework": installedVersion(
        input.project.root,
        "@google-cloud/functions-framework",
        "^5.0.0",
      ),
      libsql: installedVersion(input.project.root, "libsql", "^0.5.0"),
    },
  };
}

const schedulerFile = (input: TargetInput) =>
  input.config ? resolve(input.project.root, input.config) : undefined;

/**
 * Google Cloud Run functions (Cloud Functions 2nd gen): bundles `gcp.ts` (the module that calls `toGcp(app)`) for
 * Node as `index.mjs`, with the Functions Framework and libsql left to the generated `package.json` (Cloud Build runs
 * `npm install` on deploy; `.gcloudignore` keeps the local `node_modules` out of the upload). Beside it go
 * `scheduler.sh` (a Cloud Scheduler job per cron, publishing to the cron topic, in UTC) and `subscriptions.sh` (the
 * dead-letter and retry policy of each queue's trigger subscription), and the notes give the `gcloud functions
 * deploy` line of each function. `skiff check --target gcp --config <scheduler.sh>` compares a committed scheduler
 * script with the app's crons.
 *
 * @example
 * ```ts
 * const entry = gcp.resolveEntry(input); // examples/shop/gcp.ts
 * ```
 */
export const gcp: Target = {
  ...serverTarget({
    name: "gcp",
    file: "gcp.ts",
    what: "Cloud Run functions",
    example: 'import { toGcp } from "skiff/gcp"; toGcp(app);',
    edge: false,
    // The deploy's runtime (nodejs22, deploy.ts) has a global WebSocket: ws stays out of the bundle.
    bundle: {
      outFile: MAIN,
      runtime: "node",
      conditions: ["node"],
      external: EXTERNAL,
      globalWebSocket: true,
    },
  }),
  // Cloud Build installs Linux binaries itself; nothing native is shipped from here.
  shipsBinary: () => false,
  // https://cloud.google.com/functions/quotas: 100 MB compressed sources, 500 MB uncompressed with modules (the
  // 1st gen quota; 2nd gen deploys through Cloud Build and a container, but its source upload is as large at most).
  limits: () => [
    { measure: "zipped", bytes: 100 * MiB, label: "Cloud Run functions: 100 MB compressed sources" },
    { measure: "unzipped", bytes: 500 * MiB, label: "Cloud Run functions: 500 MB uncompressed" },
  ],
  async check(input) {
    const problems: Problem[] = [...schedulerScript(input.manifest).problems];
    const file = schedulerFile(input);
    if (file) problems.push(...checkSchedulerScript(input, file));
    return problems;
  },
  async emit(input, _entry, outDir) {
    const prefix = functionPrefix(input);
    const scheduler = schedulerScript(input.manifest);
    const subscriptions = subscriptionsScript(input.manifest, prefix);
    const files = {
      "package.json": `${JSON.stringify(gcpPackageJson(input, prefix), null, 2)}\n`,
      ".gcloudignore": "# Cloud Build installs the dependencies from package.json\nnode_modules/\n",
      "scheduler.sh": scheduler.script,
      "subscriptions.sh": subscriptions.script,
    };
    const written: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      const path = join(outDir, name);
      writeFileSync(path, text, name.endsWith(".sh") ? { mode: 0o755 } : undefined);
      written.push(path);
    }
    const problems = [...scheduler.problems, ...subscriptions.problems];
    const file = schedulerFile(input);
    if (file && existsSync(file)) problems.push(...checkSchedulerScript(input, file));
    return { files: written, problems, notes: deployNotes(input, input.project.rel(outDir), prefix) };
  },
};
