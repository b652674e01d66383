import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, the CLI fixtures and the `skiff` executable as a user runs it. */
export const repo = fileURLToPath(new URL("../../..", import.meta.url));
export const fixtures = fileURLToPath(new URL("../fixtures", import.meta.url));
export const bin = join(repo, "src/cli/bin.mjs");

/** What one run of the executable printed, and its exit code. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `skiff <args>` in the repository with its output piped (not a TTY) and no colour variables set. */
export function skiff(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const { NO_COLOR: _n, FORCE_COLOR: _f, ...base } = process.env;
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: repo, env: { ...base, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
