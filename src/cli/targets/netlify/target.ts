import { basename, dirname, join, resolve } from "node:path";
import { MiB } from "../../bundle/sizes.js";
import type { Problem } from "../../errors.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target, TargetInput } from "../types.js";
import { entrySpecifier, netlifyFunctions } from "./functions.js";
import { netlifyTomlProblems, readNetlifyToml, writeNetlifyTomlIfMissing } from "./netlify-toml.js";
import { diffFunctions, functionsProblems, writeFunctions } from "./site.js";

const ENTRY = join("netlify", "skiff.ts");
const EXAMPLE = 'import { toNetlify } from "skiff/netlify"; export default toNetlify(app);';

/**
 * Where a Netlify site's files are for an entry: netlify.toml (`--config`, else beside the entry's `netlify/`
 * folder, as Netlify lays a site out), and the functions directory it names (default `netlify/functions`).
 *
 * @example
 * ```ts
 * netlifySite(input, "/repo/examples/shop/netlify/skiff.ts");
 * // { toml: "/repo/examples/shop/netlify.toml", functionsDir: "/repo/examples/shop/netlify/functions", ... }
 * ```
 */
export function netlifySite(input: TargetInput, entry: string) {
  const inNetlifyDir = basename(dirname(entry)) === "netlify";
  const toml = input.config
    ? resolve(input.project.root, input.config)
    : join(inNetlifyDir ? dirname(dirname(entry)) : input.project.root, "netlify.toml");
  const label = input.project.rel(toml);
  const settings = readNetlifyToml(toml, label);
  const functionsDir = resolve(dirname(toml), settings.directory);
  const basePath = (input.basePath ?? "").trim().replace(/\/+$/, "");
  const path = basePath && !basePath.startsWith("/") ? `/${basePath}` : basePath;
  const wanted = () => netlifyFunctions(input.app, entrySpecifier(functionsDir, entry), path);
  return { toml, label, settings, functionsDir, wanted };
}

function problems(input: TargetInput, entry: string): Problem[] {
  const site = netlifySite(input, entry);
  const dir = input.project.rel(site.functionsDir);
  const found = [...netlifyTomlProblems(site.settings, site.label)];
  if (!site.settings.exists)
    found.push({
      target: "netlify",
      file: site.label,
      message: `${site.label} is missing`,
      fix: "run skiff build --target netlify",
    });
  try {
    found.push(...functionsProblems(diffFunctions(site.functionsDir, site.wanted()), dir));
  } catch (error) {
    found.push({ target: "netlify", message: error instanceof Error ? error.message : String(error) });
  }
  return found;
}

/**
 * Netlify Functions: bundles the entry (`netlify/skiff.ts` next to the app: `export default toNetlify(app)`) for
 * Node to measure one function against Netlify's limits, and writes the site's functions beside it: the HTTP
 * function `skiff.mts`, one scheduled function per `app.cron()` expression and the queue drain `skiff-queues.mts`,
 * each a few lines importing the entry (Netlify bundles them with esbuild), plus a netlify.toml when the site has
 * none. `skiff check` flags function files that drifted from the app and netlify.toml settings that break them.
 *
 * @example
 * ```ts
 * const entry = netlify.resolveEntry(input); // examples/shop/netlify/skiff.ts
 * ```
 */
export const netlify: Target = {
  name: "netlify",
  defaultEntry: (input) => join(appDir(input.project), ENTRY),
  resolveEntry: (input) => entryFile(input, ENTRY, "Netlify", EXAMPLE),
  edge: () => false,
  bundleSpec: (input, entry, outDir) => ({
    root: input.project.root,
    entry,
    outDir,
    outFile: "skiff.mjs",
    runtime: "node",
    conditions: ["node"],
    external: ["libsql"],
  }),
  // Netlify Functions run on AWS Lambda, x86_64 Linux.
  shipsBinary: (dependency) => /linux-x64-gnu$/.test(dependency),
  // Each function is deployed as a Lambda: 250 MB unzipped
  // (https://docs.netlify.com/frameworks/next-js/runtime-v4/troubleshooting/#large-function-error) and 50 MB
  // zipped, the limit Netlify's deploy reports ("larger than the 50MB limit").
  limits: () => [
    { measure: "unzipped", bytes: 250 * MiB, label: "Netlify Functions: 250 MB unzipped per function" },
    { measure: "zipped", bytes: 50 * MiB, label: "Netlify Functions: 50 MB zipped per function" },
  ],
  check: async (input, entry) => problems(input, entry),
  async emit(input, entry) {
    const site = netlifySite(input, entry);
    const files: string[] = [];
    if (writeNetlifyTomlIfMissing(site.toml)) files.push(site.toml);
    const after = netlifySite(input, entry);
    const found: Problem[] = [];
    try {
      const { written, deleted } = writeFunctions(after.functionsDir, after.wanted());
      files.push(...written, ...deleted.map((d) => `${d} (deleted)`));
    } catch (error) {
      found.push({ target: "netlify", message: error instanceof Error ? error.message : String(error) });
    }
    found.push(...problems(input, entry));
    return {
      files,
      problems: found,
      notes: [
        `deploy: netlify deploy --prod from ${input.project.rel(dirname(site.toml))} (Netlify bundles ${input.project.rel(after.functionsDir)} itself; the bundle measures one function), with TURSO_DATABASE_URL and TURSO_AUTH_TOKEN in the site's environment variables`,
      ],
    };
  },
};
