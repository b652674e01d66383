import { builtinModules } from "node:module";
import type { Metafile, Plugin } from "esbuild";

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith("_")));
const SKIP = Symbol("skiff-resolve-builtin");
const REQUIRED = "skiff-required-builtin";

/**
 * Whether an import specifier names a Node built-in (`node:fs`, `fs`, `fs/promises`, ...).
 *
 * @example
 * ```ts
 * isNodeBuiltin("node:crypto") // true
 * isNodeBuiltin("hono")        // false
 * ```
 */
export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith("node:")) return true;
  return BUILTINS.has(specifier) || BUILTINS.has(specifier.split("/")[0] ?? "");
}

/**
 * An esbuild plugin for edge bundles that keeps Node built-ins (and `cloudflare:*` modules) external instead of
 * failing resolution, so the build finishes and {@link findNodeImports} can say which chain pulled each one in.
 * `provided` lists the built-ins the runtime implements (a Worker with `nodejs_compat`): those stay external even
 * where an npm polyfill of the same name is installed, as wrangler keeps them, and a CommonJS `require()` of one
 * becomes an import (an ESM bundle has no `require`).
 *
 * @example
 * ```ts
 * await build({ entryPoints: ["worker.ts"], bundle: true, plugins: [externalBuiltins()], metafile: true });
 * ```
 */
export function externalBuiltins(provided: ReadonlySet<string> = new Set()): Plugin {
  return {
    name: "skiff-external-builtins",
    setup(build) {
      if (provided.size) {
        build.onResolve({ filter: /^(node:)?[a-z_][a-z0-9_/]*$/ }, (args) => {
          if (!provided.has(args.path)) return undefined;
          if (args.kind === "require-call") return { path: args.path, namespace: REQUIRED };
          return { path: args.path, external: true };
        });
        // What wrangler's hybrid nodejs_compat plugin does: the module's default export is what require() returns.
        build.onLoad({ filter: /.*/, namespace: REQUIRED }, (args) => ({
          contents: `import builtin from ${JSON.stringify(args.path)};\nmodule.exports = builtin;`,
          loader: "js",
        }));
      }
      build.onResolve({ filter: /^(node:|cloudflare:)/ }, (args) => ({ path: args.path, external: true }));
      // A bare built-in name ("events", "buffer") may be an installed browser polyfill: only what does not resolve
      // to a file is the Node built-in.
      build.onResolve({ filter: /^[a-z_]+(\/[a-z_/]+)?$/ }, async (args) => {
        if (!isNodeBuiltin(args.path) || args.pluginData === SKIP) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: SKIP,
        });
        return resolved.errors.length || resolved.external ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/**
 * A Node built-in left in a bundle, with the import chain from the entry to the module that imports it.
 *
 * @example
 * ```ts
 * const found: NodeImport = { module: "node:fs", chain: ["worker.ts", "src/db.ts", "node:fs"] };
 * ```
 */
export interface NodeImport {
  module: string;
  chain: string[];
}

/**
 * The Node built-ins an output still imports after tree-shaking, each with the shortest import chain that
 * reaches it from the entry (breadth-first over the metafile's `inputs[...].imports`). Built-ins in `provided`
 * (the runtime implements them) are not reported.
 *
 * @example
 * ```ts
 * findNodeImports(result.metafile, "examples/shop/worker.ts", ".skiff/build/cloudflare/worker.js")
 * // [{ module: "node:fs", chain: ["examples/shop/worker.ts", "src/bindings/db/node.ts", "node:fs"] }]
 * ```
 */
export function findNodeImports(
  metafile: Metafile,
  entry: string,
  output: string,
  provided: ReadonlySet<string> = new Set(),
): NodeImport[] {
  const remaining = new Set(
    (metafile.outputs[output]?.imports ?? [])
      .filter((i) => i.external && isNodeBuiltin(i.path) && !provided.has(i.path))
      .map((i) => i.path),
  );
  if (remaining.size === 0) return [];
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  const found = new Map<string, string>();
  while (queue.length) {
    const file = queue.shift() as string;
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external) {
        if (remaining.has(imported.path) && !found.has(imported.path)) found.set(imported.path, file);
      } else if (!parent.has(imported.path)) {
        parent.set(imported.path, file);
        queue.push(imported.path);
      }
    }
  }
  return [...remaining].map((module) => {
    const chain = [module];
    for (let at: string | null | undefined = found.get(module); at; at = parent.get(at)) chain.unshift(at);
    return { module, chain };
  });
}
