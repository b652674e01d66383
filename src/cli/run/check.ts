import { existsSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "../bundle/bundle.js";
import { CliError, type Problem } from "../errors.js";
import { getTarget } from "../targets/registry.js";
import { TARGET_NAMES, type TargetName } from "../targets/types.js";
import { bundleErrorText, bundleProblems, withOverride } from "./build.js";
import { limitBytes, loadTargetInput, type ProjectOptions } from "./context.js";
import type { StepOutcome } from "../output.js";
import { outcomeOf } from "../errors.js";
import { appWorkflowProblems, withWorkflowContext } from "../workflows/check.js";

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
  /** `--strict`: every warning is an error, including a Vercel route handler that was not found. */
  strict?: boolean | undefined;
  progress?: (label: string) => (detail?: string, outcome?: StepOutcome) => void;
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
 * bundle for Node built-ins and size limits. A target named in `targets` or in `skiff.entries` whose entry is
 * missing is a problem; an unnamed one is skipped, except Vercel, whose route handler is found by layout: a warning
 * says none was found (an error with `strict`, which makes every warning an error).
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
  // Problems of the app itself (a declared workflow without a handler), once, whatever the targets.
  const report: CheckReport = { ok: true, targets: [], problems: appWorkflowProblems(input.manifest) };
  const step = options.progress ?? (() => () => undefined);
  for (const name of names) {
    const target = getTarget(name);
    let entry: string;
    try {
      // A target named nowhere (no --target, --entry or skiff.entries) is checked only when its entry exists.
      if (!options.targets?.length && !options.entry && !project.entries[name]) {
        const candidate = target.defaultEntry(input);
        if (!candidate || !existsSync(candidate)) {
          const skipped = "no entry (checked when named with --target)";
          if (target.warnWhenMissing) {
            const message = `${missingEntry(() => target.resolveEntry(input))}. Its config was not checked; pass --target to check only the targets you deploy`;
            report.problems.push({ target: name, message, severity: "warning" });
            report.targets.push({ target: name, entry: null, skipped, problems: 1 });
          } else report.targets.push({ target: name, entry: null, skipped, problems: 0 });
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
    const problems = withWorkflowContext(await target.check(input, entry), input.manifest);
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
    done(problems.length ? `${problems.length} problem(s)` : "ok", outcomeOf(problems));
    report.problems.push(...problems);
    report.targets.push({
      target: name,
      entry: project.rel(entry),
      skipped: null,
      problems: problems.length,
    });
  }
  // --strict: a warning fails the check like an error (and is reported as one).
  if (options.strict)
    report.problems = report.problems.map((p) =>
      p.severity === "warning" ? { ...p, severity: "error" } : p,
    );
  report.ok = !report.problems.some((p) => p.severity !== "warning");
  return report;
}

// The message of the error resolveEntry throws, which says where the entry was looked for.
function missingEntry(resolve: () => string): string {
  try {
    resolve();
  } catch (error) {
    if (error instanceof CliError) return error.message.replace(/^\[skiff\] /, "");
    throw error;
  }
  return "no entry found";
}
