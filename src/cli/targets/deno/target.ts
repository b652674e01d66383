import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { serverTarget } from "../_server-target.js";
import type { Target, TargetInput } from "../types.js";
import { checkDenoJson, denoJson, envExample } from "./deno-json.js";

const MAIN = "main.js";

function projectDenoJson(input: TargetInput): string {
  return input.config ? resolve(input.project.root, input.config) : join(input.project.root, "deno.json");
}

/**
 * Deno and Deno Deploy: bundles `deno.ts` (the module that does `export default toDeno(app)`) as `main.js`, built
 * like an edge bundle (conditions `deno`, `worker`, `browser`; `@libsql/client/web`, no native module) so it runs
 * on Deno Deploy as on `deno serve`. Beside it go a `deno.json` (the unstable APIs, `start`/`dev` tasks, the deploy
 * entry) and a `.env.example` naming the variables the app needs. `skiff check` checks a `deno.json` of the
 * project's (`--config`, else the root's) enables Deno KV, and Deno.cron when the app has crons.
 *
 * @example
 * ```ts
 * const entry = deno.resolveEntry(input); // examples/shop/deno.ts
 * ```
 */
export const deno: Target = {
  ...serverTarget({
    name: "deno",
    file: "deno.ts",
    what: "Deno",
    example: 'import { toDeno } from "skiff/deno"; export default toDeno(app);',
    edge: true,
    bundle: { outFile: MAIN, runtime: "edge", conditions: ["deno", "worker", "browser"] },
  }),
  check: async (input) =>
    checkDenoJson(input, projectDenoJson(input), input.project.rel(projectDenoJson(input))),
  async emit(input, _entry, outDir) {
    const config = join(outDir, "deno.json");
    const env = join(outDir, ".env.example");
    writeFileSync(config, `${JSON.stringify(denoJson(MAIN, input.manifest.crons.length > 0), null, 2)}\n`);
    writeFileSync(env, envExample(input));
    const names = ["TURSO_DATABASE_URL", "TURSO_AUTH_TOKEN", ...input.project.env.map((v) => v.name)];
    return {
      files: [config, env],
      problems: checkDenoJson(input, projectDenoJson(input), input.project.rel(projectDenoJson(input))),
      notes: [
        `run: cd ${input.project.rel(outDir)} && deno task start`,
        `deploy: cd ${input.project.rel(outDir)} && deno deploy --prod, with ${names.join(", ")} set in the app's environment variables`,
      ],
    };
  },
};
