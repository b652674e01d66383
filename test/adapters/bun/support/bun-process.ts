import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The real Bun binary the `@oven/bun-linux-x64` dev dependency ships. */
export const BUN = fileURLToPath(
  new URL("../../../../node_modules/@oven/bun-linux-x64/bin/bun", import.meta.url),
);
/** The repository root: Bun runs the fixtures from there, with `skiff` resolved to the TypeScript sources. */
export const ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
/** A fixture under test/adapters/bun/fixtures. */
export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A fresh temp libSQL file URL, so each process starts from an empty database. */
export function tempDbUrl(name = "skiff-bun"): string {
  return `file:${join(mkdtempSync(join(tmpdir(), `${name}-`)), "test.db")}`;
}

/** A Bun process that printed its first JSON line (what it reports once listening). */
export interface BunProcess<T> {
  readonly ready: T;
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr), for assertions and failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process exits. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<number | string>;
}

const running = new Set<ChildProcess>();
// Never leave a Bun process behind, whatever the tests do: each is killed by its own handle at exit.
process.once("exit", () => running.forEach((child) => child.kill("SIGKILL")));

/**
 * Runs `bun --conditions=skiff-source <script>` from the repository root and waits (at most `timeoutMs`) for the
 * first stdout line that parses as JSON with `ready: true`. Rejects with the output so far when the process exits
 * or times out first.
 */
export function startBun<T extends { ready: true }>(
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<BunProcess<T>> {
  return startProcess<T>(BUN, ["--no-install", "--conditions=skiff-source", script], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "test", ...env },
    timeoutMs,
    isReady: (line) => (line as { ready?: unknown }).ready === true,
  });
}

/**
 * Runs `command` and waits (at most `timeoutMs`) for the first stdout line that parses as JSON and `isReady`
 * accepts; that line is the process's `ready`. Rejects with the output so far when it exits or times out first.
 */
export function startProcess<T>(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; isReady: (line: unknown) => boolean },
): Promise<BunProcess<T>> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? -1);
    }),
  );
  const stop = (graceMs = 3_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      void exited.then(() => clearTimeout(kill));
    }
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(0);
      reject(new Error(`${command} ${args.join(" ")} was not ready within ${options.timeoutMs} ms:\n${out}`));
    }, options.timeoutMs);
    let pending = "";
    child.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      out += text;
      pending += text;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        if (options.isReady(parsed)) {
          clearTimeout(timer);
          resolve({ ready: parsed as T, child, output: () => out, exited, stop });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(" ")} exited (${code}) before it was ready:\n${out}`));
    });
  });
}

/** Polls `check` every 20 ms until it holds, failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
