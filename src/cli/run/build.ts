import { join, resolve } from "node:path";
import { bundle, type BundleResult } from "../bundle/bundle.js";
import type { NodeImport } from "../bundle/node-builtins.js";
import { shipPackages } from "../bundle/ship-packages.js";
import { measureDirectory, type SizeLimit } from "../bundle/sizes.js";
import { CliError, type Problem } from "../errors.js";
import { formatBytes } from "../output.js";
import { getTarget } from "../targets/registry.js";
import type { Target, TargetName } from "../targets/types.js";
import { limitBytes, loadTargetInput, type ProjectOptions } from "./context.js";
import type { StepOutcome } from "../output.js";
import { outcomeOf } from "../errors.js";
import { appWorkflowProblems, withWorkflowContext } from "../workflows/check.js";

/**
 * Options of {@link runBuild}: the target and the overrides of `skiff build`.
 *
 * @example
 * ```ts
 * const options: BuildOptions = { target: "cloudflare", plan: "paid", limit: "2mb" };
 * ```
 */
export interface BuildOptions extends ProjectOptions {
  target: string;
  entry?: string | undefined;
  config?: string | undefined;
  plan?: string | undefined;
  limit?: string | undefined;
  basePath?: string | undefined;
  outDir?: string | undefined;
  /** Called when a long step starts; returns the function called when it ends. */
  progress?: (label: string) => (detail?: string, outcome?: StepOutcome) => void;
}

/**
 * Sizes of a build. `raw`/`gzip` are the main bundle; `unzipped`/`zipped` are what gets deployed (for Lambda and
 * Node the whole output directory, with shipped native packages; for edge targets the bundle itself).
 *
 * @example
 * ```ts
 * const sizes: BuildSizes = { raw: 400_000, gzip: 100_000, unzipped: 400_000, zipped: 100_000 };
 * ```
 */
export interface BuildSizes {
  raw: number;
  gzip: number;
  unzipped: number;
  zipped: number;
}

/**
 * What `skiff build` did: the bundle, its sizes against each limit, Node built-ins found in an edge bundle,
 * config files written, and every problem. `ok` is false when any problem is an error.
 *
 * @example
 * ```ts
 * const report = await runBuild({ target: "lambda" });
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export interface BuildReport {
  ok: boolean;
  target: TargetName;
  runtime: "edge" | "node";
  entry: string;
  outDir: string;
  files: string[];
  sizes: BuildSizes;
  limits: Array<SizeLimit & { actual: number; ok: boolean }>;
  nodeImports: NodeImport[];
  shipped: string[];
  written: string[];
  notes: string[];
  problems: Problem[];
}

/**
 * Applies `--limit` to a target's limits: it replaces the first one's bytes.
 *
 * @example
 * ```ts
 * withOverride([{ measure: "gzip", bytes: 3 * MiB, label: "Workers Free" }], 1024)[0]?.bytes // 1024
 * ```
 */
export function withOverride(limits: SizeLimit[], override: number | undefined): SizeLimit[] {
  if (override === undefined) return limits;
  const [first, ...rest] = limits;
  return [
    { measure: first?.measure ?? "gzip", bytes: override, label: `--limit ${formatBytes(override)}` },
    ...rest,
  ];
}

/**
 * The problems of a bundle for its target: Node built-ins in an edge bundle (with the import chain) and sizes
 * over a limit.
 *
 * @example
 * ```ts
 * const problems = bundleProblems("cloudflare", result, sizes, limits);
 * ```
 */
export function bundleProblems(
  target: TargetName,
  result: Pick<BundleResult, "nodeImports">,
  sizes: BuildSizes,
  limits: SizeLimit[],
): Problem[] {
  const problems: Problem[] = result.nodeImports.map((n) => ({
    target,
    message: `the ${target} bundle imports the Node built-in "${n.module}", which edge runtimes do not have: ${n.chain.join(" → ")}`,
  }));
  for (const limit of limits) {
    const actual = sizes[limit.measure];
    if (actual > limit.bytes) {
      problems.push({
        target,
        message: `the ${target} bundle is ${formatBytes(actual)} ${limit.measure}, over the limit of ${formatBytes(limit.bytes)} (${limit.label})`,
      });
    }
  }
  return problems;
}

/**
 * Builds the app for one target: bundles the entry with esbuild, ships native packages for node targets,
 * measures the result against the platform's limits, and writes or checks the platform config (see each target).
 * Throws a {@link CliError} when it cannot run (no entry, unknown target or plan); reports everything else.
 *
 * @example
 * ```ts
 * const report = await runBuild({ app: "examples/shop/app.ts", target: "cloudflare" });
 * console.log(report.sizes.gzip, report.problems);
 * ```
 */
export async function runBuild(options: BuildOptions): Promise<BuildReport> {
  const target: Target = getTarget(options.target);
  const input = await loadTargetInput(options);
  const { project } = input;
  const entry = target.resolveEntry(input);
  const limits = withOverride(target.limits(input, entry), limitBytes(options.limit));
  const outDir = options.outDir ? resolve(project.root, options.outDir) : join(project.outDir, target.name);
  const spec = target.bundleSpec(input, entry, outDir);
  const step = options.progress ?? (() => () => undefined);

  let done = step(`bundling ${project.rel(entry)} for ${target.name}`);
  let result: BundleResult;
  try {
    result = await bundle(spec);
  } catch (error) {
    throw new CliError(`esbuild could not bundle ${project.rel(entry)}:\n${bundleErrorText(error)}`, 1, {
      cause: error,
    });
  }
  done(formatBytes(result.raw), "ok");

  let shipped: string[] = [];
  const packages = [
    ...new Set(
      result.externalPackages.map((p) =>
        (p.startsWith("@") ? p.split("/").slice(0, 2) : p.split("/").slice(0, 1)).join("/"),
      ),
    ),
  ];
  if (packages.length) {
    done = step(`copying ${packages.join(", ")} beside the bundle`);
    shipped = shipPackages(project.root, packages, outDir, (dep) => target.shipsBinary?.(dep) ?? false);
    done(shipped.join(", "), "ok");
  }
  const edge = spec.runtime === "edge";
  const dir = edge ? undefined : measureDirectory(outDir);
  const sizes: BuildSizes = {
    raw: result.raw,
    gzip: result.gzip,
    unzipped: dir?.raw ?? result.raw,
    zipped: dir?.zip ?? result.gzip,
  };
  const problems = bundleProblems(target.name, result, sizes, limits);

  done = step(`platform config for ${target.name}`);
  const emitted = await target.emit(input, entry, outDir, result);
  done(undefined, outcomeOf(emitted.problems));
  problems.push(
    ...withWorkflowContext(emitted.problems, input.manifest),
    ...appWorkflowProblems(input.manifest),
  );
  return {
    ok: !problems.some((p) => p.severity !== "warning"),
    target: target.name,
    runtime: spec.runtime,
    entry: project.rel(entry),
    outDir: project.rel(outDir),
    files: result.files,
    sizes,
    limits: limits.map((l) => ({ ...l, actual: sizes[l.measure], ok: sizes[l.measure] <= l.bytes })),
    nodeImports: result.nodeImports,
    shipped,
    written: emitted.files.map((f) => project.rel(f)),
    notes: emitted.notes ?? [],
    problems,
  };
}

/**
 * esbuild's errors as `file:line:column: message` lines.
 *
 * @example
 * ```ts
 * bundleErrorText(error) // "  examples/shop/worker.ts:1:24: Could not resolve \"skiff/cloudflare\""
 * ```
 */
export function bundleErrorText(error: unknown): string {
  const errors = (
    error as {
      errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }>;
    }
  ).errors;
  if (!errors?.length) return `  ${error instanceof Error ? error.message : String(error)}`;
  return errors
    .map(
      (e) => `  ${e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ` : ""}${e.text}`,
    )
    .join("\n");
}
