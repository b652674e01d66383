import { mkdirSync, rmSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";
import { externalBuiltins, findNodeImports, type NodeImport } from "./node-builtins.js";
import { libsqlOnFirstUse } from "./lazy-native.js";
import { gzipSize } from "./sizes.js";

/**
 * How to bundle one target: the entry, where to write, and the runtime the bundle is for. `edge` bundles
 * (Workers, Vercel Edge) are built for the browser-like platform with the runtime's export conditions and report
 * every Node built-in left in them; `node` bundles (Lambda, Node) keep built-ins and native packages external.
 *
 * @example
 * ```ts
 * const spec: BundleSpec = { root, entry: "examples/shop/worker.ts", outDir: ".skiff/build/cloudflare", outFile: "worker.js", runtime: "edge", conditions: ["workerd", "worker", "browser"] };
 * ```
 */
export interface BundleSpec {
  root: string;
  entry: string;
  outDir: string;
  outFile: string;
  runtime: "edge" | "node";
  /** esbuild's target; default `es2022` for edge bundles, `node20` otherwise (Lambda passes its runtime's Node). */
  target?: string;
  /** Export conditions besides `skiff-source` (which makes `import "skiff"` resolve to the TypeScript sources). */
  conditions: string[];
  /** Packages left out of a node bundle (native addons); reported so the caller can ship them. */
  external?: string[];
  /** Write the files (build) or only analyse in memory (check). Default true. */
  write?: boolean;
  /**
   * Edge bundles: the Node built-ins the runtime implements (a Worker with `nodejs_compat`), kept external and
   * not reported. A function, as finding them may load the platform's tooling; called once per bundle.
   */
  providedBuiltins?: () => Promise<readonly string[]>;
  /**
   * Node bundles for a runtime whose Node has a global `WebSocket` (Lambda's): libSQL's WebSocket client uses it, and
   * the `ws` package is not bundled.
   */
  globalWebSocket?: boolean;
}

/**
 * What a bundle came to: its files, the main file's raw and gzip sizes, the Node built-ins an edge bundle still
 * imports (with the chain that pulls each in), and the external packages a node bundle needs at run time.
 *
 * @example
 * ```ts
 * const result = await bundle(spec);
 * console.log(result.raw, result.gzip, result.nodeImports.map((n) => n.chain.join(" → ")));
 * ```
 */
export interface BundleResult {
  main: string;
  files: string[];
  raw: number;
  gzip: number;
  nodeImports: NodeImport[];
  externalPackages: string[];
  metafile: Metafile;
}

/**
 * Bundles a target with esbuild: ESM, minified, tree-shaken, linked source maps, `process.env.NODE_ENV` set to
 * "production". Resolution errors (a missing module) reject with esbuild's message.
 *
 * @example
 * ```ts
 * const result = await bundle({ root: process.cwd(), entry: "examples/shop/node.ts", outDir: ".skiff/build/node", outFile: "server.mjs", runtime: "node", conditions: ["node"] });
 * ```
 */
export async function bundle(spec: BundleSpec): Promise<BundleResult> {
  const write = spec.write !== false;
  if (write) {
    rmSync(spec.outDir, { recursive: true, force: true });
    mkdirSync(spec.outDir, { recursive: true });
  }
  const outfile = join(spec.outDir, spec.outFile);
  const edge = spec.runtime === "edge";
  const provided = new Set(edge && spec.providedBuiltins ? await spec.providedBuiltins() : []);
  const plugins: Plugin[] = edge ? [externalBuiltins(provided)] : [];
  // A shipped native libsql loads on the first file: database, not at every cold start.
  if (!edge && spec.external?.includes("libsql"))
    plugins.push(libsqlOnFirstUse("libsql", { webSocket: spec.globalWebSocket ? "global" : "ws" }));
  const result = await build({
    absWorkingDir: spec.root,
    entryPoints: [spec.entry],
    outfile,
    bundle: true,
    format: "esm",
    minify: true,
    treeShaking: true,
    sourcemap: "linked",
    metafile: true,
    write,
    logLevel: "silent",
    legalComments: "none",
    platform: edge ? "browser" : "node",
    target: spec.target ?? (edge ? "es2022" : "node20"),
    conditions: ["skiff-source", ...spec.conditions],
    mainFields: edge ? ["browser", "module", "main"] : ["module", "main"],
    define: { "process.env.NODE_ENV": '"production"' },
    external: spec.external ?? [],
    plugins,
    // ESM on Node: bundled CommonJS that calls require() on a built-in needs a real require.
    banner: edge
      ? {}
      : {
          js: 'import { createRequire as __skiffRequire } from "node:module"; const require = __skiffRequire(import.meta.url);',
        },
  });
  const metafile = result.metafile as Metafile; // always present: metafile: true
  const outputKey = relative(spec.root, outfile).split("\\").join("/");
  const mainFile = result.outputFiles?.find((f) => f.path === outfile);
  const bytes = mainFile?.contents ?? (await import("node:fs")).readFileSync(outfile);
  const entryKey = relative(spec.root, spec.entry).split("\\").join("/");
  const externals = new Set<string>();
  for (const imported of metafile.outputs[outputKey]?.imports ?? []) {
    if (
      imported.external &&
      spec.external?.some((e) => imported.path === e || imported.path.startsWith(`${e}/`))
    )
      externals.add(imported.path);
  }
  return {
    main: outfile,
    files: Object.keys(metafile.outputs).map((f) => basename(f)),
    raw: bytes.length,
    gzip: gzipSize(bytes),
    nodeImports: edge ? findNodeImports(metafile, entryKey, outputKey, provided) : [],
    externalPackages: [...externals],
    metafile,
  };
}
