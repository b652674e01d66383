import { fork, spawn, type ChildProcess } from "node:child_process";

const started = new Set<ChildProcess>();
// Never leave a server behind: kill (by handle, so only our own children) whatever is still running at exit.
process.once("exit", () => {
  for (const child of started) child.kill("SIGKILL");
});

/** Node flags that let a child run the TypeScript sources (`skiff` resolves to src/ through `skiff-source`). */
export const TS_FLAGS = ["--conditions=skiff-source", "--import", "tsx"];

/** A server running in its own process, so contenders never share an event loop with each other or the load generator. */
export interface ChildServer {
  readonly url: string;
  /** Whatever else the child reported with its port (e.g. the middleware it runs). */
  readonly info: Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * Forks `script` (TypeScript) and waits for it to send `{ port }` over IPC once it listens on 127.0.0.1.
 * Its stdout is discarded: that is where request logs would go.
 */
export function startServer(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<ChildServer> {
  const child = fork(script, [], {
    execArgv: TS_FLAGS,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
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
      reject(new Error(`${script} did not report a port within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("message", (message: { port?: number } & Record<string, unknown>) => {
      clearTimeout(timer);
      const { port, ...info } = message;
      if (typeof port !== "number") return reject(new Error(`${script} sent ${JSON.stringify(message)}`));
      resolve({ url: `http://127.0.0.1:${port}`, info, stop });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before listening`));
    });
  });
}

/** Runs a command to completion and returns its stdout; rejects on a non-zero exit or after `timeoutMs`. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      started.delete(child);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(`${command} ${args.join(" ")} failed (${signal ?? code}): ${stderr.trim().slice(-500)}`),
        );
    });
  });
}
