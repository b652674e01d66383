import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { build, type Metafile, type Plugin } from "esbuild";
import { libsqlOnFirstUse } from "../../src/cli/bundle/lazy-native.js";
import { fromRoot, outDir } from "./paths.js";

/** A bundle and its sizes: minified bytes and gzip bytes (what Cloudflare's script-size limit counts). */
export interface Bundle {
  file: string;
  code: string;
  bytes: number;
  gzip: number;
  /** `node:*` modules the bundle still imports: none is allowed in code that ships to a Worker. */
  nodeImports: string[];
  /** Minified bytes by origin (an npm package, or skiff's own `src/`...), largest first: what a size is made of. */
  origins: Array<[origin: string, bytes: number]>;
}

// node_modules/@scope/pkg/... -> @scope/pkg; node_modules/pkg/... -> pkg; src/adapters/x.ts -> src/adapters.
function originOf(path: string): string {
  const modules = path.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [a, b] = path.slice(modules + "node_modules/".length).split("/");
    return a?.startsWith("@") ? `${a}/${b}` : (a ?? path);
  }
  return path.split("/").slice(0, 2).join("/");
}

function origins(metafile: Metafile): Array<[string, number]> {
  const sizes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      sizes.set(originOf(path), (sizes.get(originOf(path)) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

/** The conditions wrangler resolves packages with, plus `skiff-source` so `skiff/*` resolves to the sources. */
export const WORKER_CONDITIONS = ["skiff-source", "workerd", "worker", "browser"];

function externalNodeImports(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const i of output.imports) if (i.external && i.path.startsWith("node:")) found.add(i.path);
  }
  return [...found].sort();
}

async function bundle(entry: string, name: string, options: Parameters<typeof build>[0]): Promise<Bundle> {
  const result = await build({
    entryPoints: [fromRoot(entry)],
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    ...options,
  });
  const code = result.outputFiles?.[0]?.text ?? "";
  const metafile = result.metafile ?? { inputs: {}, outputs: {} };
  const file = join(outDir("bundles"), `${name}.mjs`);
  writeFileSync(file, code);
  return {
    file,
    code,
    bytes: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    nodeImports: externalNodeImports(metafile),
    origins: origins(metafile),
  };
}

/**
 * A Worker bundle built as wrangler builds one: ESM, minified, resolved with the workerd conditions. `node:*` is left
 * external (and reported) rather than failing the build, so a stray Node import shows up as a finding.
 */
export function workerBundle(entry: string, name: string): Promise<Bundle> {
  return bundle(entry, name, {
    platform: "neutral",
    mainFields: ["browser", "module", "main"],
    conditions: WORKER_CONDITIONS,
    target: "es2022",
    external: ["node:*", "cloudflare:*"],
  });
}

// The native libSQL binding cannot be bundled. Left external by absolute path, so the bundle runs from any folder
// (a Lambda zip ships it in node_modules instead).
const nativeLibsql: Plugin = {
  name: "native-libsql",
  setup(b) {
    const path = createRequire(fromRoot("package.json")).resolve("libsql");
    b.onResolve({ filter: /^libsql$/ }, () => ({ path, external: true }));
  },
};

/** A Lambda bundle as SAM/CDK/SST build one: ESM for Node 20, minified, with the native libSQL binding external. */
export function lambdaBundle(entry: string, name: string): Promise<Bundle> {
  return bundle(entry, name, {
    platform: "node",
    conditions: ["skiff-source", "node"],
    target: "node20",
    // As `skiff build --target lambda` bundles: the native addon loads on first use, and Lambda's own WebSocket
    // replaces ws (src/cli/bundle/lazy-native.ts).
    plugins: [libsqlOnFirstUse("libsql", { webSocket: "global" }), nativeLibsql],
    // CommonJS dependencies call require(); an ESM bundle needs one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
}
