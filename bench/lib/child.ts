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
  /** The child's process id (for its memory in /proc). */
  readonly pid: number;
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
  const stop = stopper(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${script} did not report a port within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("message", (message: { port?: number } & Record<string, unknown>) => {
      clearTimeout(timer);
      const { port, ...info } = message;
      if (typeof port !== "number") return reject(new Error(`${script} sent ${JSON.stringify(message)}`));
      resolve({ url: `http://127.0.0.1:${port}`, info, pid: child.pid ?? 0, stop });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before listening`));
    });
  });
}

// Tracks a child for the exit hook and returns how to stop it: SIGTERM, then SIGKILL after 3 s.
function stopper(child: ChildProcess): () => Promise<void> {
  started.add(child);
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
    }).finally(() => started.delete(child));
}

/** A server in another runtime (Bun, Deno) that printed its `{ "ready": true, "port": ... }` line. */
export interface ReadyChild {
  readonly ready: Record<string, unknown> & { port?: number };
  /** ms from spawn to the ready line. */
  readonly readyMs: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Spawns `command args` (a Bun or Deno server) and waits at most `timeoutMs` for its first stdout line starting with
 * `{"ready":true`: those runtimes have no IPC channel to a Node parent, so that line is how they report their port.
 */
export function startReadyChild(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined>; label: string; timeoutMs?: number },
): Promise<ReadyChild> {
  const { label, timeoutMs = 30_000 } = options;
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = stopper(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${label} was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      for (let i = pending.indexOf("\n"); i >= 0; i = pending.indexOf("\n")) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        if (!line.startsWith('{"ready":true')) continue;
        clearTimeout(timer);
        const ready = JSON.parse(line) as ReadyChild["ready"];
        resolve({ ready, readyMs: performance.now() - t0, url: `http://127.0.0.1:${ready.port ?? 0}`, stop });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready`));
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
