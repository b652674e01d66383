import { join } from "node:path";
import { serverTarget } from "../_server-target.js";
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
  ...serverTarget({
    name: "node",
    file: "node.ts",
    what: "Node server",
    example: 'import { serve } from "skiff/node"; await serve(app);',
    edge: false,
    bundle: { outFile: "server.mjs", runtime: "node", conditions: ["node"], external: ["libsql"] },
  }),
  shipsBinary: (dependency) => dependency.includes(`${process.platform}-${process.arch}`),
  emit: async (input, _entry, outDir) => ({
    files: [],
    problems: [],
    notes: [`run: node ${input.project.rel(join(outDir, "server.mjs"))}`],
  }),
};
