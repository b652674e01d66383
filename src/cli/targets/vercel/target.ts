import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { vercelCrons } from "./crons.js";
import { findRouteFile, ROUTE_LAYOUTS, routeLayout, routeRuntime } from "./route-file.js";
import { MiB } from "../../bundle/sizes.js";
import { CliError } from "../../errors.js";
import { pickPlan, PLANS } from "../plans.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target, TargetInput } from "../types.js";

const EDGE_LIMITS: Record<(typeof PLANS.vercel)[number], { bytes: number; label: string }> = {
  hobby: { bytes: 1 * MiB, label: "Vercel Edge, Hobby: 1 MiB gzipped" },
  pro: { bytes: 2 * MiB, label: "Vercel Edge, Pro: 2 MiB gzipped" },
  enterprise: { bytes: 4 * MiB, label: "Vercel Edge, Enterprise: 4 MiB gzipped" },
};

function layout(input: TargetInput, entry: string) {
  const derived = routeLayout(entry);
  const vercelJson = input.config
    ? resolve(input.project.root, input.config)
    : join(derived.projectDir ?? input.project.root, "vercel.json");
  // Function paths in vercel.json are relative to the project (where app/ or api/ is), wherever the file is written.
  const projectDir = derived.projectDir ?? input.project.root;
  return { vercelJson, basePath: input.basePath ?? derived.basePath, projectDir };
}

/**
 * Where the Vercel route handler of a project is looked for: the project root and the app's directory, in the
 * layouts of {@link ROUTE_LAYOUTS}, then skiff's own `vercel/` directory next to the app.
 *
 * @example
 * ```ts
 * vercelSearch(input) // { roots: ["/repo", "/repo/examples/shop"], fallback: "/repo/examples/shop/vercel" }
 * ```
 */
export function vercelSearch(input: TargetInput): { roots: string[]; fallback: string } {
  return {
    roots: [...new Set([input.project.root, appDir(input.project)])],
    fallback: join(appDir(input.project), "vercel"),
  };
}

const EXAMPLE =
  'import { toVercel } from "skiff/vercel"; export const { GET, POST } = toVercel(app, { basePath: "/api" });';

/**
 * Vercel: bundles the route handler (`--entry`, `skiff.entries.vercel` in package.json, else found in the Next.js
 * layouts, see {@link vercelSearch}) for the runtime it declares — edge (conditions `edge-light`, `worker`,
 * `browser`; no Node built-ins; 1/2/4 MiB gzipped by plan) or node (250 MiB unzipped) — and writes the app's
 * entries into the `crons` of the project's `vercel.json`, with the base path the route is mounted at. A plan rule
 * that fails (Hobby: crons at most daily) is a problem and keeps `vercel.json` unwritten.
 *
 * @example
 * ```ts
 * const entry = vercel.resolveEntry(input); // examples/shop/vercel/app/api/[[...route]]/route.ts
 * ```
 */
export const vercel: Target = {
  name: "vercel",
  warnWhenMissing: true,
  defaultEntry(input) {
    const { roots, fallback } = vercelSearch(input);
    return findRouteFile(roots, fallback);
  },
  resolveEntry(input) {
    if (input.entry) return entryFile(input, undefined, "Vercel route handler", EXAMPLE);
    const found = this.defaultEntry(input);
    if (found) return found;
    const { roots, fallback } = vercelSearch(input);
    const where = roots.map((r) => input.project.rel(r)).join(", ");
    throw new CliError(
      `no Vercel route handler found: looked for ${ROUTE_LAYOUTS.map((l) => l.label).join(", ")} (any catch-all ` +
        `name, .ts or .js) under ${where}, and for a route.ts under ${input.project.rel(fallback)}. Create one ` +
        `(${EXAMPLE}), name it in package.json ("skiff": { "entries": { "vercel": "<file>" } }) or pass --entry <file>`,
    );
  },
  edge: (_input, entry) => routeRuntime(readFileSync(entry, "utf8")) === "edge",
  bundleSpec(input, entry, outDir) {
    const edge = this.edge(input, entry);
    return {
      root: input.project.root,
      entry,
      outDir,
      outFile: edge ? "route.js" : "route.mjs",
      runtime: edge ? "edge" : "node",
      conditions: edge ? ["edge-light", "worker", "browser"] : ["node"],
      ...(edge ? {} : { external: ["libsql"] }),
    };
  },
  // Vercel Functions run on Amazon Linux, x86_64.
  shipsBinary: (dependency) => /linux-x64-gnu$/.test(dependency),
  limits(input, entry) {
    if (!this.edge(input, entry))
      return [{ measure: "unzipped", bytes: 250 * MiB, label: "Vercel Functions: 250 MiB unzipped" }];
    return [{ measure: "gzip", ...EDGE_LIMITS[pickPlan(input.plan, PLANS.vercel)] }];
  },
  async check(input, entry) {
    const { vercelJson, basePath, projectDir } = layout(input, entry);
    const file = input.project.rel(vercelJson);
    return (await vercelCrons(input, { vercelJson, file, basePath, entry, projectDir }, false)).problems;
  },
  async emit(input, entry) {
    const { vercelJson, basePath, projectDir } = layout(input, entry);
    const file = input.project.rel(vercelJson);
    const { problems, files } = await vercelCrons(
      input,
      { vercelJson, file, basePath, entry, projectDir },
      true,
    );
    return {
      files,
      problems,
      notes: [
        `deploy: vercel deploy ${input.project.rel(dirname(vercelJson))} (Vercel builds the route itself; the bundle measures it)`,
      ],
    };
  },
};
