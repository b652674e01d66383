import { spawn, type ChildProcess } from "node:child_process";

/**
 * A server child process of the torture suites: started with the TypeScript sources (`skiff-source`), ready when it
 * prints `ready <port>` on stdout. Its stderr is kept (last 4 KiB) for the error message when it fails to start.
 */
export interface ChildServer {
  proc: ChildProcess;
  port: number;
  url: string;
  /** SIGKILL, resolved once the process has exited. */
  kill(): Promise<void>;
}

/**
 * Starts `entry` (a file under test/torture/servers) with `env` and waits up to 20 s for its `ready <port>` line.
 *
 * @example
 * ```ts
 * const shop = await startChild("shop.ts", { TORTURE_DB_URL: url });
 * await fetch(`${shop.url}/`);
 * await shop.kill();
 * ```
 */
export function startChild(entry: string, env: Record<string, string>): Promise<ChildServer> {
  const proc = spawn(
    process.execPath,
    ["--conditions=skiff-source", "--import", "tsx", new URL(`./${entry}`, import.meta.url).pathname],
    { env: { ...process.env, NODE_ENV: "development", ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  const kill = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGKILL");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${entry} did not start within 20 s:\n${stderr}`)),
      20_000,
    );
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /ready (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ proc, port: Number(port), url: `http://127.0.0.1:${port}`, kill });
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${stderr}`));
    });
  });
}
