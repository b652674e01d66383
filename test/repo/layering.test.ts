import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The layering rules of CONTRIBUTING.md, checked on the import graph of the sources (static imports, re-exports
// and dynamic `import()` with a literal specifier).
const root = resolve(new URL("../..", import.meta.url).pathname);
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith(".d.ts")) yield path;
  }
}

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every module under src/ and middleware/ with the specifiers it imports (type-only imports included). */
const graph = new Map<string, string[]>();
for (const dir of ["src", "middleware"]) {
  for (const file of sources(join(root, dir))) {
    const text = readFileSync(file, "utf8");
    graph.set(
      relative(root, file),
      [...text.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2] ?? m[3]) as string),
    );
  }
}

/** The repository file a relative specifier points at (`.js` → `.ts`), or undefined for a package. */
function target(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = relative(root, resolve(root, dirname(from), specifier));
  for (const candidate of [
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.mjs$/, ".mts"),
    base,
    `${base}.ts`,
    `${base}/index.ts`,
  ])
    if (graph.has(candidate)) return candidate;
  return base;
}

const under = (file: string, ...dirs: string[]) => dirs.some((d) => file === d || file.startsWith(`${d}/`));

function violations(rule: (from: string, to: string | undefined, specifier: string) => boolean): string[] {
  const out: string[] = [];
  for (const [from, specifiers] of graph)
    for (const s of specifiers) if (rule(from, target(from, s), s)) out.push(`${from} imports ${s}`);
  return out;
}

/** Every module reachable from `entries`. */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop() as string;
    if (seen.has(file) || !graph.has(file)) continue;
    seen.add(file);
    for (const s of graph.get(file) ?? []) {
      const t = target(file, s);
      if (t) stack.push(t);
    }
  }
  return seen;
}

// What a Worker or an edge function can import: the app author's API, the edge adapters, the middleware.
const EDGE_ENTRIES = [
  "src/adapter.ts",
  "src/index.ts",
  "src/adapters/cloudflare/index.ts",
  "src/adapters/vercel/index.ts",
  "middleware/index.ts",
];

describe("layering", () => {
  it("runtime code never imports build-time code (src/cli)", () => {
    expect(violations((from, to) => !under(from, "src/cli") && !!to && under(to, "src/cli"))).toEqual([]);
  });

  it("src/bindings never imports an adapter, the CLI or the dev tools", () => {
    expect(
      violations(
        (from, to) => under(from, "src/bindings") && !!to && under(to, "src/adapters", "src/cli", "src/dev"),
      ),
    ).toEqual([]);
  });

  it("src/triggers never imports an adapter, a backend's platform code, the CLI or the dev tools", () => {
    expect(
      violations(
        (from, to) => under(from, "src/triggers") && !!to && under(to, "src/adapters", "src/cli", "src/dev"),
      ),
    ).toEqual([]);
  });

  // The runtime imports the dispatchers; they see it only through TriggerRuntime (src/triggers/types.ts).
  it("src/triggers never imports src/runtime.ts", () => {
    expect(violations((from, to) => under(from, "src/triggers") && to === "src/runtime.ts")).toEqual([]);
  });

  it("an adapter never imports another adapter", () => {
    const adapterOf = (file: string) => /^src\/adapters\/([^/]+)\//.exec(file)?.[1];
    expect(
      violations((from, to) => {
        const a = adapterOf(from);
        const b = to && adapterOf(to);
        return !!a && !!b && a !== b;
      }),
    ).toEqual([]);
  });

  it("no module shipped to edge runtimes imports a Node built-in", () => {
    const shipped = reachable(EDGE_ENTRIES);
    expect(shipped.size).toBeGreaterThan(20);
    const leaks = violations((from, _to, s) => shipped.has(from) && NODE_BUILTINS.has(s));
    expect(leaks).toEqual([]);
  });

  it("Node built-ins appear only in the Node-only adapters, src/dev, src/cli and src/testing", () => {
    const allowed = ["src/adapters/node", "src/adapters/lambda", "src/dev", "src/cli", "src/testing"];
    expect(violations((from, _to, s) => NODE_BUILTINS.has(s) && !under(from, ...allowed))).toEqual([]);
  });

  it("every adapter follows one template: index, to-<platform>, runtime, options, types", () => {
    const adapters = readdirSync(join(root, "src/adapters"));
    expect(adapters.length).toBeGreaterThanOrEqual(4);
    for (const platform of adapters) {
      const files = readdirSync(join(root, "src/adapters", platform));
      for (const file of ["index.ts", `to-${platform}.ts`, "runtime.ts", "options.ts", "types.ts"])
        expect(files, `src/adapters/${platform}`).toContain(file);
    }
  });

  it("keeps source files small: none past ~300 lines", () => {
    const long = [...graph.keys()]
      .map((file) => [file, readFileSync(join(root, file), "utf8").split("\n").length] as const)
      .filter(([, lines]) => lines > 330);
    expect(long).toEqual([]);
  });
});
