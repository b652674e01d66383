import { join } from "node:path";
import type { BundleSpec } from "../bundle/bundle.js";
import { appDir } from "../project.js";
import { entryFile } from "./entry.js";
import type { Target, TargetName } from "./types.js";

/**
 * What a server target declares: its name, the entry module beside the app (`node.ts`) with what it is and the
 * one-line module that creates it, whether it is bundled for an edge runtime, and its bundle's file and flavour.
 *
 * @example
 * ```ts
 * const spec: ServerTargetSpec = { name: "node", file: "node.ts", what: "Node server", example: "...", edge: false, bundle: { outFile: "server.mjs", runtime: "node", conditions: ["node"] } };
 * ```
 */
export interface ServerTargetSpec {
  name: TargetName;
  file: string;
  what: string;
  example: string;
  edge: boolean;
  bundle: Pick<BundleSpec, "outFile" | "runtime" | "conditions" | "target" | "external" | "globalWebSocket">;
}

/**
 * The parts every server target (Node, Bun, Deno) shares: the default entry `<app dir>/<file>`, its resolution with
 * the error that says how to create it, the bundle spec rooted at the project, no size limit, and no platform
 * config to check. A target spreads it and adds its own `emit` (and `check` where it has a config).
 *
 * @example
 * ```ts
 * export const node: Target = { ...serverTarget(spec), emit: async () => ({ files: [], problems: [] }) };
 * ```
 */
export function serverTarget(spec: ServerTargetSpec): Omit<Target, "emit"> {
  return {
    name: spec.name,
    defaultEntry: (input) => join(appDir(input.project), spec.file),
    resolveEntry: (input) => entryFile(input, spec.file, spec.what, spec.example),
    edge: () => spec.edge,
    bundleSpec: (input, entry, outDir) => ({ root: input.project.root, entry, outDir, ...spec.bundle }),
    limits: () => [],
    check: async () => [],
  };
}
