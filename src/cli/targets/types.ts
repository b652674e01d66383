import type { SkiffApp } from "../app/load.js";
import type { AppManifest } from "../app/manifest.js";
import type { BundleResult, BundleSpec } from "../bundle/bundle.js";
import type { SizeLimit } from "../bundle/sizes.js";
import type { Problem } from "../errors.js";
import type { Project } from "../project.js";

/**
 * The platforms `skiff build` and `skiff check` know.
 *
 * @example
 * ```ts
 * const target: TargetName = "cloudflare";
 * ```
 */
export type TargetName =
  "cloudflare" | "vercel" | "lambda" | "node" | "deno" | "bun" | "azure" | "gcp" | "netlify";

/**
 * Every {@link TargetName}, in the order commands report them.
 *
 * @example
 * ```ts
 * for (const name of TARGET_NAMES) console.log(name);
 * ```
 */
export const TARGET_NAMES: readonly TargetName[] = [
  "cloudflare",
  "vercel",
  "lambda",
  "node",
  "deno",
  "bun",
  "azure",
  "gcp",
  "netlify",
];

/**
 * What a target works from: the project, the loaded app and its manifest, and the command's overrides.
 *
 * @example
 * ```ts
 * const input: TargetInput = { project, app, manifest: describeApp(app), plan: "paid" };
 * ```
 */
export interface TargetInput {
  project: Project;
  app: SkiffApp;
  manifest: AppManifest;
  /** The module to bundle: `--entry`, or `skiff.entries.<target>` in package.json (applied by `getTarget`). */
  entry?: string | undefined;
  /** Where `entry` came from, for messages: `--entry`, `"skiff.entries.vercel" in package.json`. */
  entrySource?: string | undefined;
  /** `--config`: wrangler.toml (cloudflare) or vercel.json (vercel). */
  config?: string | undefined;
  /** `--plan`: free|paid (cloudflare), hobby|pro|enterprise (vercel). */
  plan?: string | undefined;
  /** `--limit`: overrides the first size limit, in bytes. */
  limit?: number | undefined;
  /** `--base-path` (vercel): where the route handler is mounted. */
  basePath?: string | undefined;
}

/**
 * Files a target wrote besides the bundle, problems found while writing them, and the size of what gets deployed
 * when that is a directory (Lambda: bundle, source map and native packages).
 *
 * @example
 * ```ts
 * const emitted: Emitted = { files: [".skiff/build/lambda/template.yaml"], problems: [] };
 * ```
 */
export interface Emitted {
  files: string[];
  problems: Problem[];
  notes?: string[];
}

/**
 * One deployment target: where its entry is, how it is bundled, its size limits, how its platform config is
 * checked (`skiff check`) and what `skiff build` writes besides the bundle.
 *
 * @example
 * ```ts
 * const entry = target.resolveEntry(input);
 * const problems = await target.check(input, entry);
 * ```
 */
export interface Target {
  readonly name: TargetName;
  /** The entry used when `--entry` is not given; may not exist. */
  defaultEntry(input: TargetInput): string | undefined;
  /**
   * `skiff check` warns when no entry is found instead of skipping the target (Vercel, whose route handler is
   * found by layout: a layout skiff missed must not pass as "ok").
   */
  readonly warnWhenMissing?: boolean;
  /** The entry to bundle; a {@link CliError} naming the file when it does not exist. */
  resolveEntry(input: TargetInput): string;
  /** Whether the bundle runs on an edge runtime (no Node built-ins). */
  edge(input: TargetInput, entry: string): boolean;
  bundleSpec(input: TargetInput, entry: string, outDir: string): BundleSpec;
  /**
   * For node bundles that leave native packages external: which optional dependency (prebuilt binary) to ship
   * next to the bundle, e.g. `@libsql/linux-x64-gnu` for Lambda x86_64.
   */
  shipsBinary?(dependency: string): boolean;
  limits(input: TargetInput, entry: string): SizeLimit[];
  /** Checks the platform config against the app without writing anything. */
  check(input: TargetInput, entry: string): Promise<Problem[]>;
  /** Writes or checks the platform config after a successful bundle. */
  emit(input: TargetInput, entry: string, outDir: string, result: BundleResult): Promise<Emitted>;
}
