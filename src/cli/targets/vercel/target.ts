import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { checkVercelJson, writeVercelJson } from "./vercel-json.js";
import { nextRun } from "../../../local/scheduler.js";
import { MiB } from "../../bundle/sizes.js";
import type { Problem } from "../../errors.js";
import { pickPlan, PLANS } from "../plans.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target, TargetInput } from "../types.js";

const EDGE_LIMITS: Record<(typeof PLANS.vercel)[number], { bytes: number; label: string }> = {
  hobby: { bytes: 1 * MiB, label: "Vercel Edge, Hobby: 1 MiB gzipped" },
  pro: { bytes: 2 * MiB, label: "Vercel Edge, Pro: 2 MiB gzipped" },
  enterprise: { bytes: 4 * MiB, label: "Vercel Edge, Enterprise: 4 MiB gzipped" },
};

/**
 * The first route handler under `<dir>`: `route.ts`/`route.js` (App Router) or a file under `api/` (Vercel
 * functions), depth first in name order.
 *
 * @example
 * ```ts
 * findRouteFile("examples/shop/vercel") // "examples/shop/vercel/app/api/[[...route]]/route.ts"
 * ```
 */
export function findRouteFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const walk = (at: string, inApi: boolean): string | undefined => {
    const entries = readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (
        e.isFile() &&
        (/^route\.(ts|js|mts|mjs)$/.test(e.name) ||
          (inApi && /\.(ts|js|mts|mjs)$/.test(e.name) && !e.name.endsWith(".d.ts")))
      ) {
        return join(at, e.name);
      }
    }
    for (const e of entries) {
      if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) {
        const found = walk(join(at, e.name), inApi || (e.name === "api" && at === dir));
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(dir, false);
}

/**
 * Where a route file sits in a Vercel project: the project directory (the parent of `app/` or `api/`, where
 * `vercel.json` lives) and the URL path it is mounted at (the segments before the first dynamic one, without
 * route groups).
 *
 * @example
 * ```ts
 * routeLayout("/p/app/api/[[...route]]/route.ts") // { projectDir: "/p", basePath: "/api" }
 * ```
 */
export function routeLayout(file: string): { projectDir: string; basePath: string } {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("app") >= 0 ? parts.lastIndexOf("app") : parts.lastIndexOf("api");
  if (at < 0) return { projectDir: dirname(file), basePath: "" };
  const projectDir = parts.slice(0, at).join(sep) || sep;
  const segments: string[] = [];
  const rest = parts.slice(parts[at] === "app" ? at + 1 : at, -1);
  if (parts[at] === "api" && /^\[/.test(parts.at(-1) ?? "")) rest.push(parts.at(-1) ?? ""); // api/[[...route]].ts
  for (const segment of rest) {
    if (segment.startsWith("[")) break;
    if (!/^\(.*\)$/.test(segment)) segments.push(segment);
  }
  return { projectDir, basePath: segments.length ? `/${segments.join("/")}` : "" };
}

/**
 * The runtime a route file declares: `export const runtime = "edge"` means edge; anything else is node.
 *
 * @example
 * ```ts
 * routeRuntime('export const runtime = "edge";') // "edge"
 * ```
 */
export function routeRuntime(source: string): "edge" | "node" {
  return /export\s+const\s+runtime\s*=\s*["']edge["']/.test(source) ? "edge" : "node";
}

function layout(input: TargetInput, entry: string) {
  const derived = routeLayout(entry);
  const vercelJson = input.config
    ? resolve(input.project.root, input.config)
    : join(derived.projectDir, "vercel.json");
  return { vercelJson, basePath: input.basePath ?? derived.basePath };
}

// Vercel Hobby runs a cron at most once a day (https://vercel.com/docs/cron-jobs/usage-and-pricing).
function moreThanDaily(expression: string): boolean {
  let at = new Date(Date.UTC(2030, 0, 1));
  for (let i = 0; i < 8; i++) {
    const next = nextRun(expression, at);
    const after = next && nextRun(expression, next);
    if (next && after && after.getTime() - next.getTime() < 24 * 3600_000) return true;
    if (!next) return false;
    at = next;
  }
  return false;
}

async function cronProblems(
  input: TargetInput,
  entry: string,
  write: boolean,
): Promise<{ problems: Problem[]; files: string[] }> {
  const { vercelJson, basePath } = layout(input, entry);
  const file = input.project.rel(vercelJson);
  const problems: Problem[] = [];
  const files: string[] = [];
  try {
    const diff = await checkVercelJson(input.app, vercelJson, { basePath });
    if (write) {
      // Rewritten only when the crons differ, so an up-to-date file keeps its bytes and mtime.
      if (!diff.ok || !existsSync(vercelJson)) {
        await writeVercelJson(input.app, vercelJson, { basePath });
        files.push(vercelJson);
      }
    } else {
      for (const c of diff.missing)
        problems.push({
          target: "vercel",
          file,
          message: `crons lacks ${JSON.stringify(c)}; run skiff build --target vercel to write it`,
        });
      for (const c of diff.stale)
        problems.push({
          target: "vercel",
          file,
          message: `crons has ${JSON.stringify(c)}, which the app no longer registers; run skiff build --target vercel`,
        });
    }
  } catch (error) {
    problems.push({
      target: "vercel",
      file,
      message: error instanceof Error ? error.message.replace(/^\[skiff\] /, "") : String(error),
    });
  }
  if (pickPlan(input.plan, PLANS.vercel) === "hobby") {
    for (const c of input.manifest.crons) {
      if (moreThanDaily(c.expression)) {
        problems.push({
          target: "vercel",
          file,
          message: `cron "${c.expression}" runs more than once a day, which the Hobby plan refuses (on Pro, pass --plan pro)`,
        });
      }
    }
  }
  return { problems, files };
}

/**
 * Vercel: bundles the route handler (found under `<app dir>/vercel/`) for the runtime it declares — edge
 * (conditions `edge-light`, `worker`, `browser`; no Node built-ins; 1/2/4 MiB gzipped by plan) or node (250 MiB
 * unzipped) — and writes the app's entries into the `crons` of the project's `vercel.json` (next to `app/` or
 * `api/`), with the base path the route is mounted at.
 *
 * @example
 * ```ts
 * const entry = vercel.resolveEntry(input); // examples/shop/vercel/app/api/[[...route]]/route.ts
 * ```
 */
export const vercel: Target = {
  name: "vercel",
  defaultEntry: (input) => findRouteFile(join(appDir(input.project), "vercel")),
  resolveEntry(input) {
    return entryFile(
      input,
      input.entry
        ? undefined
        : this.defaultEntry(input)
          ? relative(appDir(input.project), this.defaultEntry(input) as string)
          : "vercel/app/api/[[...route]]/route.ts",
      "Vercel route handler",
      'import { toVercel } from "skiff/vercel"; export const { GET, POST } = toVercel(app, { basePath: "/api" });',
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
    return (await cronProblems(input, entry, false)).problems;
  },
  async emit(input, entry) {
    const { problems, files } = await cronProblems(input, entry, true);
    const { vercelJson } = layout(input, entry);
    return {
      files,
      problems,
      notes: [
        `deploy: vercel deploy ${input.project.rel(dirname(vercelJson))} (Vercel builds the route itself; the bundle measures it)`,
      ],
    };
  },
};
