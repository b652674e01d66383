import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MiB } from "../../bundle/sizes.js";
import { serverTarget } from "../_server-target.js";
import type { Target, TargetInput } from "../types.js";
import { azureHostJson, checkHostJson, localSettings } from "./host-json.js";

const MAIN = "index.mjs";

function projectHostJson(input: TargetInput): string {
  return input.config ? resolve(input.project.root, input.config) : join(input.project.root, "host.json");
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Azure Functions (v4 Node model): bundles `azure.ts` (the module that calls `toAzure(app)`) for Node as
 * `index.mjs`, with `@azure/functions` and the native `libsql` shipped beside it in `node_modules` (the worker
 * resolves `@azure/functions-core` inside the library, so it is not bundled), and writes the function app around
 * it: `package.json` (`main`), `host.json` (see {@link azureHostJson}) and `local.settings.json.example`.
 * `skiff check` checks a `host.json` of the project's (`--config`, else the root's) for drift.
 *
 * @example
 * ```ts
 * const entry = azure.resolveEntry(input); // examples/shop/azure.ts
 * ```
 */
export const azure: Target = {
  ...serverTarget({
    name: "azure",
    file: "azure.ts",
    what: "Azure Functions",
    example: 'import { toAzure } from "skiff/azure"; toAzure(app);',
    edge: false,
    bundle: {
      outFile: MAIN,
      runtime: "node",
      conditions: ["node"],
      external: ["libsql", "@azure/functions"],
    },
  }),
  // Linux function apps run x86_64: ship libsql's prebuilt binary for it.
  shipsBinary: (dependency) => /linux-x64-gnu$/.test(dependency),
  // Zip deployment (Kudu) takes a package of at most 2048 MB:
  // https://learn.microsoft.com/azure/app-service/deploy-zip#deploy-a-zip-package ; Azure Functions deploys through
  // it on Consumption, Premium and Dedicated plans: https://learn.microsoft.com/azure/azure-functions/deployment-zip-push
  limits: () => [{ measure: "zipped", bytes: 2048 * MiB, label: "Azure Functions: 2048 MB zip deployment" }],
  check: async (input) =>
    checkHostJson(input.manifest, projectHostJson(input), input.project.rel(projectHostJson(input))),
  async emit(input, _entry, outDir) {
    const files = {
      host: join(outDir, "host.json"),
      pkg: join(outDir, "package.json"),
      settings: join(outDir, "local.settings.json.example"),
    };
    writeFileSync(files.host, json(azureHostJson(input.manifest)));
    writeFileSync(files.pkg, json({ name: "skiff-azure-app", private: true, main: MAIN }));
    writeFileSync(files.settings, json(localSettings(input)));
    const out = input.project.rel(outDir);
    return {
      files: Object.values(files),
      problems: checkHostJson(
        input.manifest,
        projectHostJson(input),
        input.project.rel(projectHostJson(input)),
      ),
      notes: [
        `run locally: cd ${out} && cp local.settings.json.example local.settings.json && func start (with azurite for AzureWebJobsStorage)`,
        `deploy: cd ${out} && func azure functionapp publish <app-name>, with TURSO_DATABASE_URL, TURSO_AUTH_TOKEN${input.project.env.map((v) => `, ${v.name}`).join("")} in the app's Application settings`,
        "Service Bus queues: set each queue's maxDeliveryCount to at least maxRetries + 1 (an entity setting, not host.json)",
      ],
    };
  },
};
