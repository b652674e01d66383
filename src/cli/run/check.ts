import { existsSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "../bundle/bundle.js";
import { CliError, type Problem } from "../errors.js";
import { getTarget } from "../targets/registry.js";
import { TARGET_NAMES, type TargetName } from "../targets/types.js";
import { bundleErrorText, bundleProblems, withOverride } from "./build.js";
import { limitBytes, loadTargetInput, type ProjectOptions } from "./context.js";

/**
 * Options of {@link runCheck}. Without `targets`, every target whose entry exists is checked.
 *
 * @example
 * ```ts
 * const options: CheckOptions = { targets: ["cloudflare", "lambda"], bundle: false };
 * ```
 */
export interface CheckOptions extends ProjectOptions {
  targets?: string[] | undefined;
  entry?: string | undefined;
  config?: string | undefined;
  plan?: string | undefined;
  limit?: string | undefined;
  basePath?: string | undefined;
  /** Also bundle edge targets in memory, for Node built-ins and size limits. Default true. */
  bundle?: boolean | undefined;
  progress?: (label: string) => (detail?: string) => void;
}

/**
 * The outcome of `skiff check`, per target (`skipped` says why a target was not checked) and overall.
 *
 * @example
 * ```ts
 * const report = await runCheck({});
 * for (const p of report.problems) console.error(`${p.target}: ${p.message}`);
 * ```
 */
export interface CheckReport {
  ok: boolean;
  targets: Array<{ target: TargetName; entry: string | null; skipped: string | null; problems: number }>;
  problems: Problem[];
}

/**
 * Runs the checks of `skiff build` without writing anything: each target's platform config against the app
 * (`wrangler.toml`, `vercel.json` crons, what a SAM template can express) and, for edge targets, an in-memory
 * bundle for Node built-ins and size limits. A target named in `targets` whose entry is missing is a problem; an
 * unnamed one is skipped.
 *
 * @example
 * ```ts
 * const { ok } = await runCheck({ app: "examples/shop/app.ts" });
 * process.exitCode = ok ? 0 : 1;
 * ```
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const names = options.targets?.length ? options.targets.map((t) => getTarget(t).name) : [...TARGET_NAMES];
  if (names.length > 1 && (options.entry || options.config))
    throw new CliError("--entry and --config need a single --target");
  const input = await loadTargetInput(options);
  const { project } = input;
  const report: CheckReport = { ok: true, targets: [], problems: [] };
  const step = options.progress ?? (() => () => undefined);
  for (const name of names) {
    const target = getTarget(name);
    let entry: string;
    try {
      if (!options.targets?.length && !options.entry) {
        const candidate = target.defaultEntry(input);
        if (!candidate || !existsSync(candidate)) {
          report.targets.push({
            target: name,
            entry: null,
            skipped: "no entry (checked when named with --target)",
            problems: 0,
          });
          continue;
        }
      }
      entry = target.resolveEntry(input);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      report.problems.push({ target: name, message: error.message.replace(/^\[skiff\] /, "") });
      report.targets.push({ target: name, entry: null, skipped: null, problems: 1 });
      continue;
    }
    const done = step(`checking ${name}`);
    const problems = await target.check(input, entry);
    if (options.bundle !== false && target.edge(input, entry)) {
      const limits = withOverride(target.limits(input, entry), limitBytes(options.limit));
      const spec = { ...target.bundleSpec(input, entry, join(project.outDir, name)), write: false };
      try {
        const result = await bundle(spec);
        problems.push(
          ...bundleProblems(
            name,
            result,
            { raw: result.raw, gzip: result.gzip, unzipped: result.raw, zipped: result.gzip },
            limits,
          ),
        );
      } catch (error) {
        problems.push({
          target: name,
          message: `esbuild could not bundle ${project.rel(entry)}:\n${bundleErrorText(error)}`,
        });
      }
    }
    done(problems.length ? `${problems.length} problem(s)` : "ok");
    report.problems.push(...problems);
    report.targets.push({
      target: name,
      entry: project.rel(entry),
      skipped: null,
      problems: problems.length,
    });
  }
  report.ok = !report.problems.some((p) => p.severity !== "warning");
  return report;
}
