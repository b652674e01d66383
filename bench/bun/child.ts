import { spawn, type ChildProcess } from "node:child_process";
import { isAbsolute } from "node:path";
import { fromRoot } from "../lib/paths.js";

/** The real Bun binary of the `@oven/bun-linux-x64` dev dependency. */
export const BUN = fromRoot("node_modules/@oven/bun-linux-x64/bin/bun");

const started = new Set<ChildProcess>();
// Never leave a Bun server behind: each is killed by its own handle at exit.
process.once("exit", () => started.forEach((child) => child.kill("SIGKILL")));

/** A Bun process that printed its `{ "ready": true, ... }` line. */
export interface BunChild {
  readonly ready: Record<string, unknown> & { port?: number };
  /** ms from spawn to the ready line. */
  readonly readyMs: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Runs `bun <script>` (a repository path, TypeScript with `skiff` resolved to the sources, or an absolute path) and waits at most `timeoutMs` for its first
 * stdout line with `"ready": true`. Bun has no IPC channel to a Node parent, so that line is how it reports.
 */
export function startBun(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<BunChild> {
  const t0 = performance.now();
  const path = isAbsolute(script) ? script : fromRoot(script);
  const child = spawn(BUN, ["--no-install", "--conditions=skiff-source", path], {
    cwd: fromRoot("."),
    env: { ...process.env, NODE_ENV: "production", ...env },
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
        const ready = JSON.parse(line) as BunChild["ready"];
        resolve({ ready, readyMs: performance.now() - t0, url: `http://127.0.0.1:${ready.port ?? 0}`, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready`));
    });
  });
}
