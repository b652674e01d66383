import { existsSync, readdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";

const SOURCE = /^[^.].*\.(ts|js|mts|mjs|tsx|jsx)$/;
const CATCH_ALL = /^\[\[?\.\.\.[^\]/]+\]\]?$/;

/**
 * Where a Vercel route handler for a whole Hono app sits, relative to a project directory, in the order they are
 * tried: Next.js App Router catch-alls (`app/api/[[...route]]/route.ts`, the same under `src/`, then at the root of
 * `app/`), Pages Router catch-alls (`pages/api/[[...route]].ts`, under `src/` too) and Vercel Functions
 * (`api/[[...route]].ts`). Any parameter name works (`[...slug]`, `[[...path]]`); an optional catch-all wins over a
 * required one in the same directory; `.ts`, `.js`, `.mts`, `.mjs`, `.tsx` and `.jsx` are all accepted.
 *
 * @example
 * ```ts
 * ROUTE_LAYOUTS.map((l) => l.label) // ["app/api/[[...route]]/route.ts", "src/app/api/[[...route]]/route.ts", ...]
 * ```
 */
export const ROUTE_LAYOUTS: ReadonlyArray<{ dir: string; kind: "app" | "file"; label: string }> = [
  ...["app/api", "src/app/api", "app", "src/app"].map((dir) => ({
    dir,
    kind: "app" as const,
    label: `${dir}/[[...route]]/route.ts`,
  })),
  ...["pages/api", "src/pages/api", "api"].map((dir) => ({
    dir,
    kind: "file" as const,
    label: `${dir}/[[...route]].ts`,
  })),
];

/**
 * The Vercel route handler of a project: the first of {@link ROUTE_LAYOUTS} found under each directory of `roots`
 * in turn, else, under `fallback` (skiff's own `vercel/` directory next to the app), the first `route.ts` or file
 * under `api/`, depth first in name order.
 *
 * @example
 * ```ts
 * findRouteFile(["/repo"], "/repo/examples/shop/vercel") // "/repo/examples/shop/vercel/app/api/[[...route]]/route.ts"
 * ```
 */
export function findRouteFile(roots: readonly string[], fallback?: string): string | undefined {
  for (const root of new Set([...roots, ...(fallback ? [fallback] : [])])) {
    for (const layout of ROUTE_LAYOUTS) {
      const found = inLayout(join(root, layout.dir), layout.kind);
      if (found) return found;
    }
  }
  return fallback ? walk(fallback, fallback, false) : undefined;
}

function inLayout(dir: string, kind: "app" | "file"): string | undefined {
  const entries = list(dir);
  const catchAlls = entries
    .filter((e) => CATCH_ALL.test(kind === "app" ? e.name : stem(e.name)))
    // An optional catch-all ("[[...x]]") also answers the base path itself: it goes first.
    .sort((a, b) => Number(!a.name.startsWith("[[")) - Number(!b.name.startsWith("[[")));
  for (const e of catchAlls) {
    if (kind === "file" && e.isFile() && SOURCE.test(e.name) && !e.name.endsWith(".d.ts"))
      return join(dir, e.name);
    if (kind === "app" && e.isDirectory()) {
      const route = list(join(dir, e.name)).find(
        (f) => f.isFile() && /^route\.(ts|js|mts|mjs|tsx|jsx)$/.test(f.name),
      );
      if (route) return join(dir, e.name, route.name);
    }
  }
  return undefined;
}

function walk(dir: string, top: string, inApi: boolean): string | undefined {
  const entries = list(dir);
  for (const e of entries) {
    if (
      e.isFile() &&
      (/^route\.(ts|js|mts|mjs)$/.test(e.name) || (inApi && SOURCE.test(e.name) && !e.name.endsWith(".d.ts")))
    )
      return join(dir, e.name);
  }
  for (const e of entries) {
    if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) {
      const found = walk(join(dir, e.name), top, inApi || (e.name === "api" && dir === top));
      if (found) return found;
    }
  }
  return undefined;
}

function list(dir: string) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
}

const stem = (name: string) => name.replace(/\.(ts|js|mts|mjs|tsx|jsx)$/, "");

/**
 * Where a route file sits in a Vercel project: the project directory (where `vercel.json` lives: the parent of
 * `app/` or `pages/`, above Next.js's `src/`, or of a Vercel Functions `api/`; undefined for a file in none of
 * them) and the URL path it is mounted at (the segments before the first dynamic one, without route groups such as
 * `(hono)`).
 *
 * @example
 * ```ts
 * routeLayout("/p/src/app/api/[[...route]]/route.ts") // { projectDir: "/p", basePath: "/api" }
 * routeLayout("/p/pages/api/[[...route]].ts")         // { projectDir: "/p", basePath: "/api" }
 * ```
 */
export function routeLayout(file: string): { projectDir: string | undefined; basePath: string } {
  const parts = resolve(file).split(sep);
  const name = stem(parts.pop() ?? "");
  // The nearest marker wins, so a project that itself lives in a directory called "app" still works.
  const app = name === "route" ? parts.lastIndexOf("app") : -1;
  const pages = parts.lastIndexOf("pages");
  const api = parts.lastIndexOf("api");
  let root: number;
  let segments: string[];
  if (app >= 0 && app > pages) [root, segments] = [app, parts.slice(app + 1)];
  else if (pages >= 0) [root, segments] = [pages, [...parts.slice(pages + 1), name]];
  else if (api >= 0) [root, segments] = [api, [...parts.slice(api), name]];
  else return { projectDir: undefined, basePath: "" };
  const top = parts[root] !== "api" && parts[root - 1] === "src" ? root - 1 : root;
  const path: string[] = [];
  for (const [i, segment] of segments.entries()) {
    if (segment.startsWith("[")) break;
    if (/^\(.*\)$/.test(segment) || (segment === "index" && i === segments.length - 1)) continue;
    path.push(segment);
  }
  return {
    projectDir: parts.slice(0, top).join(sep) || sep,
    basePath: path.length ? `/${path.join("/")}` : "",
  };
}

/**
 * The runtime a route file declares: `export const runtime = "edge"` (App Router) or
 * `export const config = { runtime: "edge" }` (Pages Router) means edge; anything else is node.
 *
 * @example
 * ```ts
 * routeRuntime('export const runtime = "edge";') // "edge"
 * ```
 */
export function routeRuntime(source: string): "edge" | "node" {
  return /export\s+const\s+runtime\s*=\s*["'](experimental-)?edge["']/.test(source) ||
    /export\s+const\s+config\s*=\s*\{[^}]*\bruntime\s*:\s*["'](experimental-)?edge["']/.test(source)
    ? "edge"
    : "node";
}
