import type { StepOutcome } from "./output.js";
/**
 * A failure the CLI reports as a clear message without a stack trace: a missing entry or config file, an app
 * module that does not load. `exitCode` 2 means "could not run"; 1 is reserved for "ran and found problems".
 *
 * @example
 * ```ts
 * throw new CliError(`no Cloudflare entry: ${file} does not exist (pass --entry)`);
 * ```
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 2,
    options?: { cause?: unknown },
  ) {
    super(message.startsWith("[skiff]") ? message : `[skiff] ${message}`, options);
  }
}

/**
 * One thing wrong with the app's deployment: what, where (target and file), and the exact text that fixes it
 * when skiff knows it (TOML lines, a JSON fragment).
 *
 * @example
 * ```ts
 * const problem: Problem = { target: "cloudflare", file: "wrangler.toml", message: 'cron "0 9 * * *" is missing', fix: 'crons = ["0 9 * * *"]' };
 * ```
 */
export interface Problem {
  target: string;
  message: string;
  /** Warnings are shown but do not fail the command. Default "error". */
  severity?: "error" | "warning";
  file?: string;
  fix?: string;
}

/**
 * How a step that found `problems` ends: `"error"` when any is an error, `"warning"` when all are warnings, else
 * `"ok"` (the only outcome shown with a green tick).
 *
 * @example
 * ```ts
 * done(`${problems.length} problem(s)`, outcomeOf(problems));
 * ```
 */
export function outcomeOf(problems: readonly Problem[]): StepOutcome {
  if (problems.some((p) => p.severity !== "warning")) return "error";
  return problems.length ? "warning" : "ok";
}
