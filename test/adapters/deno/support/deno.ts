import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { serveHrana, type HranaServer } from "skiff/local";

/** The repository root, where Deno finds package.json and node_modules. */
export const ROOT = resolve(new URL("../../../..", import.meta.url).pathname);
/** The real Deno binary, pinned as a dev dependency (@deno/linux-x64-glibc). */
export const DENO = join(ROOT, "node_modules/@deno/linux-x64-glibc/deno");

/**
 * The flags every test run of Deno uses: Deno KV and Deno.cron enabled, skiff's TypeScript sources (the
 * `skiff-source` condition, `.js` specifiers of `.ts` files), the existing node_modules (no install, no network),
 * no lock file written into the repository, and only the loopback on the network.
 */
export function denoFlags(writable: string): string[] {
  return [
    "--unstable-kv",
    "--unstable-cron",
    "--conditions=skiff-source",
    "--sloppy-imports",
    "--node-modules-dir=manual",
    "--no-lock",
    "--no-prompt",
    "--quiet",
    "--allow-net=127.0.0.1",
    "--allow-env",
    "--allow-read",
    `--allow-write=${writable}`,
  ];
}

/** A Deno process serving a fixture, its URL, and a way to stop it. */
export interface DenoProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for assertions on logs and for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

const FIXTURE_LISTENING = (text: string) => {
  const match = /\{"fixture":"listening","port":(\d+)[,}]/.exec(text);
  return match ? Number(match[1]) : undefined;
};

/**
 * Spawns `deno run` on `entry` (relative to the repository) with `env` (or `command` instead of `run` and the
 * default flags), and resolves once its output shows the port it listens on (`ready`; by default the fixtures'
 * `{"fixture":"listening","port":N}` line); rejects with its output if it exits or is not listening within `ms`.
 */
export function startDeno(
  entry: string,
  env: Record<string, string>,
  options: {
    writable: string;
    ms?: number;
    args?: string[];
    command?: string[];
    ready?: (output: string) => number | undefined;
  },
): Promise<DenoProcess> {
  const command = options.command ?? ["run", ...denoFlags(options.writable)];
  const ready = options.ready ?? FIXTURE_LISTENING;
  const child = spawn(DENO, [...command, ...(options.args ?? []), entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`deno did not listen within ${options.ms ?? 15_000} ms:\n${out}`));
      void stop();
    }, options.ms ?? 15_000);
    const onData = () => {
      const port = ready(out);
      if (port === undefined) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.stderr.off("data", onData);
      resolvePromise({ url: `http://127.0.0.1:${port}`, child, output: () => out, stop });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`deno exited with ${code} before listening:\n${out}`));
    });
  });
}

/** A temp directory and the libSQL HTTP endpoint (serveHrana) on a fresh database in it, as Turso would be. */
export async function scratch(
  name: string,
): Promise<{ dir: string; hrana: HranaServer; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `skiff-deno-${name}-`));
  const hrana = await serveHrana({ url: `file:${join(dir, "db.sqlite")}` });
  return {
    dir,
    hrana,
    async cleanup() {
      await hrana.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 25 ms until it holds, failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
