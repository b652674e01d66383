import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

// A throwaway Postgres cluster for the DBOS peer: initdb into a temp dir, started on 127.0.0.1 and a free port with
// its unix socket in the same dir, durability settings left at Postgres's defaults (fsync, synchronous_commit and
// full_page_writes on), so a commit reaches the disk as a synchronous write to the libSQL file does.
const BINARIES = ["initdb", "pg_ctl", "postgres"] as const;
const STEP_TIMEOUT_MS = 30_000;

/** A running cluster: connect through `socketDir` and `port` as `user`, to the database `database`. */
export interface Cluster {
  readonly socketDir: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** What the cluster runs with, for the report. */
  readonly settings: string;
  /** Stops the server (fast, then immediate) and deletes the cluster; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The folder holding initdb, pg_ctl and postgres: on PATH, or Debian's versioned folder; undefined when absent.
 *
 * @example
 * ```ts
 * const bin = postgresBinaries(); // "/usr/local/bin", or undefined on a machine without Postgres
 * ```
 */
export function postgresBinaries(): string | undefined {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian))
    for (const v of readdirSync(debian).sort().reverse()) dirs.push(join(debian, v, "bin"));
  return dirs.find((dir) => BINARIES.every((bin) => existsSync(join(dir, bin))));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

// Postgres refuses to run as root; when the bench does, the cluster runs as an unprivileged account instead.
function runAs(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(":");
    if (fields?.[2] && fields[3]) return { uid: Number(fields[2]), gid: Number(fields[3]), name };
  }
  throw new Error(
    "running as root and neither a `postgres` nor a `nobody` account exists to run Postgres as",
  );
}

/** Runs one Postgres tool to completion, bounded in time; rejects with its stderr. */
function tool(
  bin: string,
  args: readonly string[],
  user: { uid: number; gid: number } | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      stdio: ["ignore", "pipe", "pipe"],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: { ...process.env, LC_ALL: "C" },
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), STEP_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else
        reject(new Error(`${bin} ${args[0] ?? ""} failed (${signal ?? code}): ${output.trim().slice(-400)}`));
    });
  });
}

/**
 * Creates and starts a throwaway cluster; on any failure it cleans up what it made and rejects with the cause.
 *
 * @example
 * ```ts
 * const pg = await startCluster(postgresBinaries()!);
 * try { ... } finally { await pg.stop(); }
 * ```
 */
export async function startCluster(bin: string): Promise<Cluster> {
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "skiff-bench-pg-"));
  const data = join(dir, "data");
  let started = false;
  let stopped = false;
  // Should this process end without stop() (an uncaught error), the cluster still goes: stop it synchronously.
  const onExit = () => {
    try {
      if (started)
        execFileSync(join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"], {
          stdio: "ignore",
          timeout: 15_000,
          ...(user ? { uid: user.uid, gid: user.gid } : {}),
        });
    } catch {
      // Already stopped, or it would not: the folder goes either way.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    try {
      if (started)
        await tool(join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "fast", "-w", "-t", "10"], user).catch(
          () => tool(join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"], user),
        );
    } catch {
      // Not running (it failed to start, or died): nothing to stop. A server that outlived both tries exits on
      // its own once its data folder, removed below, is gone (Postgres checks its lock file every minute).
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (user) chownSync(dir, user.uid, user.gid);
    const port = await freePort();
    await tool(
      join(bin, "initdb"),
      ["-D", data, "-U", "bench", "--auth=trust", "--encoding=UTF8", "--no-instructions"],
      user,
    );
    const options = [
      "-c listen_addresses=127.0.0.1",
      `-c port=${port}`,
      `-c unix_socket_directories=${dir}`,
      "-c max_connections=100",
    ].join(" ");
    started = true;
    await tool(
      join(bin, "pg_ctl"),
      ["start", "-D", data, "-w", "-t", "20", "-l", join(dir, "log"), "-o", options],
      user,
    );
    const version = (await tool(join(bin, "postgres"), ["--version"], user)).trim();
    return {
      socketDir: dir,
      port,
      user: "bench",
      database: "postgres",
      settings:
        `${version}, fresh cluster (initdb) in a temp dir, trust auth, unix socket in that dir (clients connect through it), ` +
        "durability settings at their defaults" +
        (user ? `, run as the \`${user.name}\` account because the bench runs as root` : ""),
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}
