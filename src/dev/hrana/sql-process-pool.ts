import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { SqlCommand, SqlProcessConfig, SqlReport } from "./sql-process-messages.js";

type Done = Extract<SqlReport, { type: "done" }>;
type Result = Extract<SqlReport, { type: "result" }>;
type WithoutId<C> = C extends unknown ? Omit<C, "id"> : never;
type CommandBody = WithoutId<SqlCommand>;

interface Pending {
  conn: number;
  onResult: ((report: Result) => void) | undefined;
  resolve: (done: Done) => void;
  reject: (error: SqlProcessLost) => void;
}

/**
 * A SQL process died (stopped for a runaway statement, crashed, or shut down) while a command was pending on it.
 *
 * @example
 * ```ts
 * try { await pool.send(proc, command) } catch (e) { if (e instanceof SqlProcessLost) reopenElsewhere() }
 * ```
 */
export class SqlProcessLost extends Error {
  override name = "SqlProcessLost";
  constructor(readonly process: SqlProcess) {
    super(process.deathReason ?? "[skiff] the SQL process is gone");
  }
}

/**
 * One child process holding SQLite connections. `timedOut` is set when the pool stopped it because a statement of
 * connection `timedOut.conn` (if known) ran over the limit.
 *
 * @example
 * ```ts
 * const proc = pool.place();
 * await pool.send(proc, { op: "open", conn: 1 });
 * ```
 */
export class SqlProcess {
  readonly pending = new Map<number, Pending>();
  readonly ready: Promise<void>;
  lastBeat = performance.now();
  started = false;
  running: number | null = null;
  inStatement = false;
  deathReason: string | undefined;
  timedOut: { conn: number | null } | undefined;

  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", () => reject(new SqlProcessLost(this)));
    });
    this.ready.catch(() => {}); // a process that dies before its first beat fails its commands instead
  }

  get alive(): boolean {
    return this.deathReason === undefined;
  }
}

const live = new Set<ChildProcess>();
let exitHook = false;

/**
 * Starts SQL processes on demand (at most `maxProcesses`), places new connections on idle ones, and stops a process
 * whose statement has run for longer than `statementTimeoutMs` without a beat: it is the only way to stop SQLite
 * mid-statement here. A process that ends fails its pending commands with {@link SqlProcessLost}.
 *
 * @example
 * ```ts
 * const pool = new SqlProcessPool({ config: { path, busyTimeoutMs, allowAttach: false }, maxProcesses: 4, statementTimeoutMs: 10_000, onError: console.error });
 * ```
 */
export class SqlProcessPool {
  readonly statementTimeoutMs: number;
  readonly #config: SqlProcessConfig;
  readonly #maxProcesses: number;
  readonly #onError: (error: unknown) => void;
  readonly #procs: SqlProcess[] = [];
  readonly #watchdog: ReturnType<typeof setInterval>;
  #nextId = 1;
  #lastTick = performance.now();
  #closed = false;

  constructor(options: {
    config: SqlProcessConfig;
    maxProcesses: number;
    statementTimeoutMs: number;
    onError: (error: unknown) => void;
  }) {
    this.#config = options.config;
    this.#maxProcesses = options.maxProcesses;
    this.statementTimeoutMs = options.statementTimeoutMs;
    this.#onError = options.onError;
    const period = Math.min(100, Math.max(10, options.statementTimeoutMs / 5));
    this.#watchdog = setInterval(() => this.#check(period), period);
    this.#watchdog.unref();
    this.#spawn(); // the first request should not wait for a process to start
  }

  /** A fresh connection id, unique in this pool. */
  nextId(): number {
    return this.#nextId++;
  }

  /** The process for a new connection: an idle one, else a new one, else the least busy. */
  place(): SqlProcess {
    if (this.#closed) throw new Error("[skiff] the Hrana server is shutting down");
    const alive = this.#procs.filter((p) => p.alive);
    const idle = alive.filter((p) => p.pending.size === 0);
    // Keep a spare warming up, so that the next stream need not wait for a process to start (it takes a while).
    if (idle.length <= 1 && alive.length < this.#maxProcesses) {
      const spawned = this.#spawn();
      if (idle.length === 0) return spawned;
    }
    const [first] = idle;
    if (first) return first;
    return alive.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  /** Sends a command and resolves with its `done`; `onResult` gets the pipeline results as they come. */
  async send(proc: SqlProcess, command: CommandBody, onResult?: (report: Result) => void): Promise<Done> {
    if (!proc.alive) throw new SqlProcessLost(proc);
    const id = this.#nextId++;
    const done = new Promise<Done>((resolve, reject) => {
      proc.pending.set(id, { conn: command.conn, onResult, resolve, reject });
    });
    this.#ref(proc);
    try {
      await proc.ready;
    } catch {
      // the exit handler has already rejected `done`
    }
    if (proc.alive) proc.child.send({ ...command, id } as SqlCommand);
    return done;
  }

  /** Stops every process (pending commands fail) and waits until they have exited. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#watchdog);
    const running = this.#procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    // Idle processes are unref'd so they never keep the server's process alive; waiting for their exit must, or a
    // process with nothing else to do ends before the exit arrives and close() never settles.
    for (const proc of running) this.#ref(proc);
    const exits = running.map((p) => new Promise<void>((resolve) => p.child.once("exit", () => resolve())));
    for (const proc of this.#procs) this.#kill(proc, "[skiff] the Hrana server is shutting down");
    await Promise.all(exits);
  }

  #spawn(): SqlProcess {
    const fromSource = import.meta.url.endsWith(".ts");
    const entry = fileURLToPath(new URL(`./sql-process.${fromSource ? "ts" : "js"}`, import.meta.url));
    const execArgv = fromSource ? ["--import", createRequire(import.meta.url).resolve("tsx")] : [];
    const child = fork(entry, [JSON.stringify(this.#config)], {
      execArgv,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const proc = new SqlProcess(child);
    live.add(child);
    if (!exitHook) {
      exitHook = true;
      // A runaway statement would outlive the server otherwise.
      process.once("exit", () => {
        for (const c of live) c.kill("SIGKILL");
      });
    }
    child.on("message", (report: SqlReport) => this.#receive(proc, report));
    child.on("error", (error) => this.#onError(error));
    child.once("exit", (code, signal) => {
      live.delete(child);
      if (proc.alive) {
        proc.deathReason = `[skiff] the SQL process exited unexpectedly (${signal ?? `code ${code}`})`;
        if (!this.#closed) this.#onError(new Error(proc.deathReason));
      }
      const lost = new SqlProcessLost(proc);
      for (const pending of proc.pending.values()) pending.reject(lost);
      proc.pending.clear();
      this.#procs.splice(this.#procs.indexOf(proc), 1);
    });
    this.#procs.push(proc);
    this.#unref(proc);
    return proc;
  }

  #receive(proc: SqlProcess, report: SqlReport): void {
    proc.lastBeat = performance.now();
    proc.started = true;
    if (report.type === "beat") {
      proc.running = report.conn;
      proc.inStatement = report.statement;
      return;
    }
    const pending = proc.pending.get(report.id);
    if (!pending) return;
    if (report.type === "result") return pending.onResult?.(report);
    proc.pending.delete(report.id);
    proc.inStatement = false;
    if (proc.pending.size === 0) this.#unref(proc);
    pending.resolve(report);
  }

  #check(period: number): void {
    const now = performance.now();
    // When this thread itself was blocked, beats may be waiting unread: judge nothing on this tick.
    const late = now - this.#lastTick > period * 3;
    this.#lastTick = now;
    if (late) return;
    for (const proc of this.#procs) {
      // Only SQLite can hang a process: JavaScript work there (parsing a huge body, say) always ends.
      if (!proc.alive || !proc.started || !proc.inStatement || proc.pending.size === 0) continue;
      if (now - proc.lastBeat <= this.statementTimeoutMs) continue;
      const conns = new Set([...proc.pending.values()].map((p) => p.conn));
      const culprit = proc.running ?? (conns.size === 1 ? ([...conns][0] ?? null) : null);
      proc.timedOut = { conn: culprit };
      this.#kill(
        proc,
        `[skiff] a statement ran longer than statementTimeoutMs (${this.statementTimeoutMs} ms)`,
      );
    }
  }

  #kill(proc: SqlProcess, reason: string): void {
    if (proc.alive) proc.deathReason = reason;
    // SIGKILL: the process may be inside SQLite, where no JavaScript runs; SQLite's journal makes this safe.
    proc.child.kill("SIGKILL");
  }

  // A process with nothing pending must not keep the server's process alive.
  #ref(proc: SqlProcess): void {
    proc.child.ref();
    proc.child.channel?.ref();
  }

  #unref(proc: SqlProcess): void {
    // Once closing, close() waits for every exit: a late "done" must not unref a process it is waiting for.
    if (this.#closed) return;
    proc.child.unref();
    proc.child.channel?.unref();
  }
}
