import { SkiffError } from "../../errors.js";
import { CliError, type Problem } from "../errors.js";
import { createOutput, type Output } from "../output.js";

/**
 * Arguments every command takes.
 *
 * @example
 * ```ts
 * defineCommand({ args: { ...commonArgs, target: { type: "string" } }, run: ... });
 * ```
 */
export const commonArgs = {
  app: {
    type: "string",
    valueHint: "file",
    description: 'App module (default: "skiff.app" in package.json, else src/app.ts)',
  },
  root: { type: "string", valueHint: "dir", description: "Project root (default: the current directory)" },
  json: { type: "boolean", description: "Print one JSON document on stdout, nothing else" },
  quiet: { type: "boolean", alias: "q", description: "Print problems only" },
} as const;

/**
 * Runs a command body with an {@link Output}, turning expected failures into a message and an exit code instead
 * of a stack trace: a {@link CliError} exits with its code (2: could not run), a framework `SkiffError` (for
 * example a bad cron expression in the app) with 2. In `--json` mode the failure is a JSON document too.
 *
 * @example
 * ```ts
 * run: (ctx) => guard(ctx.args, async (out) => { out.line("hello") }),
 * ```
 */
export async function guard(
  args: { json?: boolean; quiet?: boolean },
  body: (out: Output) => Promise<number>,
): Promise<void> {
  const out = createOutput({ json: args.json === true, quiet: args.quiet === true });
  try {
    process.exitCode = await body(out);
  } catch (error) {
    if (!(error instanceof CliError) && !(error instanceof SkiffError)) throw error;
    const message = error.message.startsWith("[skiff]") ? error.message : `[skiff] ${error.message}`;
    out.result({ ok: false, error: message });
    out.problem(out.style.red(message));
    process.exitCode = error instanceof CliError ? error.exitCode : 2;
  }
}

/**
 * Prints problems for people: errors in red, warnings in yellow, each with its fix indented below.
 *
 * @example
 * ```ts
 * printProblems(out, report.problems);
 * ```
 */
export function printProblems(out: Output, problems: Problem[]): void {
  const { red, yellow, dim } = out.style;
  for (const p of problems) {
    const mark = p.severity === "warning" ? yellow("warning") : red("error");
    out.problem(`${mark} ${p.target}${p.file ? ` ${p.file}` : ""}: ${p.message}`);
    if (p.fix) out.problem(dim(p.fix.trimEnd().replace(/^/gm, "    ")));
  }
}

/**
 * Splits a comma-separated or repeated flag into values.
 *
 * @example
 * ```ts
 * listArg("cloudflare,lambda") // ["cloudflare", "lambda"]
 * ```
 */
export function listArg(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined || value === "" ? [] : [value];
  return values
    .flatMap((v) => String(v).split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}
