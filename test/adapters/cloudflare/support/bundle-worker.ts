import { build } from "esbuild";

/**
 * Bundles a fixture Worker as wrangler would, for a Miniflare of the test's own: ESM, workerd's resolution
 * conditions, skiff from its TypeScript sources, and workerd's built-in `cloudflare:*` modules left to workerd.
 *
 * @example
 * ```ts
 * const mf = new Miniflare({ modules: true, script: await bundleWorker("test/.../worker.ts"), compatibilityDate });
 * ```
 */
export async function bundleWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["skiff-source", "workerd", "worker", "browser"],
    external: ["cloudflare:*"],
    logLevel: "silent",
    absWorkingDir: process.cwd(),
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${entry}`);
  return output.text;
}
