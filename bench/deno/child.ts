import { spawn, type ChildProcess } from "node:child_process";
import { fromRoot } from "../lib/paths.js";

/** The real Deno binary of the `@deno/linux-x64-glibc` dev dependency. */
export const DENO = fromRoot("node_modules/@deno/linux-x64-glibc/deno");

/**
 * How every bench server runs: the TypeScript sources (`skiff-source`, `.js` specifiers of `.ts` files), the
 * installed node_modules, no lock file, Deno KV and Deno.cron on, only the loopback on the network.
 */
export const DENO_FLAGS = [
  "run",
  "--unstable-kv",
  "--unstable-cron",
  "--conditions=skiff-source",
  "--sloppy-imports",
  "--node-modules-dir=manual",
  "--no-lock",
  "--no-prompt",
  "--allow-net=127.0.0.1",
  "--allow-env",
  "--allow-read",
];

const started = new Set<ChildProcess>();
// Never leave a Deno server behind: each is killed by its own handle at exit.
process.once("exit", () => started.forEach((child) => child.kill("SIGKILL")));

/** A Deno process that printed its `{ "ready": true, ... }` line. */
export interface DenoChild {
  readonly ready: Record<string, unknown> & { port?: number };
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs `deno run <script>` and waits at most `timeoutMs` for its first stdout line with `"ready": true` (Deno
 * has no IPC channel to a Node parent, so that line is how it reports its port).
 */
export function startDeno(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<DenoChild> {
  const child = spawn(DENO, [...DENO_FLAGS, fromRoot(script)], {
    cwd: fromRoot("."),
    env: { ...process.env, NODE_ENV: "production", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  started.add(child);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
    }).finally(() => started.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      for (let i = pending.indexOf("\n"); i >= 0; i = pending.indexOf("\n")) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        if (!line.startsWith('{"ready":true')) continue;
        clearTimeout(timer);
        const ready = JSON.parse(line) as DenoChild["ready"];
        resolve({ ready, url: `http://127.0.0.1:${ready.port ?? 0}`, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
}
