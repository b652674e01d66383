import { join } from "node:path";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target } from "../types.js";

/**
 * Node: bundles `node.ts` (the module that calls `serve(app)`) as `server.mjs`, with native `libsql` and this
 * machine's binary shipped beside it, so `node .skiff/build/node/server.mjs` runs anywhere with the same platform.
 * No size limit and no platform config.
 *
 * @example
 * ```ts
 * const entry = node.resolveEntry(input); // examples/shop/node.ts
 * ```
 */
export const node: Target = {
  name: "node",
  defaultEntry: (input) => join(appDir(input.project), "node.ts"),
  resolveEntry: (input) =>
    entryFile(input, "node.ts", "Node server", 'import { serve } from "skiff/node"; await serve(app);'),
  edge: () => false,
  bundleSpec: (input, entry, outDir) => ({
    root: input.project.root,
    entry,
    outDir,
    outFile: "server.mjs",
    runtime: "node",
    conditions: ["node"],
    external: ["libsql"],
  }),
  shipsBinary: (dependency) => dependency.includes(`${process.platform}-${process.arch}`),
  limits: () => [],
  check: async () => [],
  emit: async (input, _entry, outDir) => ({
    files: [],
    problems: [],
    notes: [`run: node ${input.project.rel(join(outDir, "server.mjs"))}`],
  }),
};
