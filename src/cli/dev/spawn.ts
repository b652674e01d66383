import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The Node flags that run TypeScript with `import "skiff"` resolved to the sources: the `skiff-source` export
 * condition and tsx's loader.
 *
 * @example
 * ```ts
 * spawn(process.execPath, [...tsxFlags(), "src/cli/dev/node-server.ts"]);
 * ```
 */
export function tsxFlags(): string[] {
  return ["--conditions=skiff-source", "--import", import.meta.resolve("tsx")];
}

/**
 * Runs a child process with inherited stdio, forwarding SIGINT/SIGTERM to it, and resolves with its exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runChild(process.execPath, ["--watch", "server.ts"]);
 * ```
 */
export function runChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onSpawn?: (child: ChildProcess) => void } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: "inherit",
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    options.onSpawn?.(child);
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const onInt = forward("SIGINT");
    const onTerm = forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}

/**
 * The `wrangler` executable script of the project (its `node_modules/wrangler/bin/wrangler.js`), if installed.
 *
 * @example
 * ```ts
 * findWrangler("/repo") // "/repo/node_modules/wrangler/bin/wrangler.js"
 * ```
 */
export function findWrangler(root: string): string | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules", "wrangler", "bin", "wrangler.js");
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The module `skiff dev --target node` runs under `node --watch`.
 *
 * @example
 * ```ts
 * runChild(process.execPath, [...tsxFlags(), "--watch", NODE_SERVER, "--app", app]);
 * ```
 */
export const NODE_SERVER = fileURLToPath(new URL("./node-server.ts", import.meta.url));
