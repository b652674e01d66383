import { HranaRequestError, HranaStmtError } from "./errors.js";
import type { HranaCursorEntry, HranaError, HranaStreamResult, HranaVersion } from "./protocol.js";
import type { SqlReport } from "./sql-process-messages.js";
import { SqlProcessLost, type SqlProcess, type SqlProcessPool } from "./sql-process-pool.js";

type SqlDone = Extract<SqlReport, { type: "done" }>;

/**
 * A stream's connection as the server sees it: it lives in a SQL process, opened there at the first request. When
 * that process dies (a runaway statement was stopped, or it crashed), the stream survives: outside a transaction
 * it simply gets a new connection; inside one, the transaction is gone, so the new connection is a reset one that
 * refuses statements with the reason (and accepts the client's `ROLLBACK`).
 *
 * @example
 * ```ts
 * const conn = new RemoteConnection(pool);
 * const { results, closed } = await conn.pipeline(text, body.requests, 3);
 * ```
 */
export class RemoteConnection {
  readonly #pool: SqlProcessPool;
  readonly #id: number;
  #proc: SqlProcess | undefined;
  #autocommit = true;
  #resetReason: string | undefined;

  constructor(pool: SqlProcessPool) {
    this.#pool = pool;
    this.#id = pool.nextId();
  }

  /**
   * Runs a pipeline given as the client's JSON text; `requests` is the parsed, unvalidated `requests` array, used only
   * when the process dies: the request it died in fails, and later ones fail with `STREAM_CLOSED` (`close` succeeds).
   * Results come back as JSON texts. A malformed body throws its {@link HranaRequestError}.
   */
  async pipeline(
    body: string,
    requests: readonly unknown[],
    version: HranaVersion,
  ): Promise<{ results: string[]; closed: boolean }> {
    const proc = await this.#ensure();
    const results: string[] = [];
    try {
      const done = await this.#pool.send(proc, { op: "pipeline", conn: this.#id, body, version }, (r) => {
        results[r.index] = r.json;
        this.#autocommit = r.autocommit;
      });
      this.#settle(done);
      return { results, closed: done.closed ?? false };
    } catch (error) {
      const { current, after } = this.#lost(error, proc);
      const ran = results.length;
      let closed = false;
      for (let i = ran; i < requests.length; i++) {
        const isClose = i > ran && (requests[i] as { type?: unknown } | null)?.type === "close";
        closed ||= isClose;
        const result: HranaStreamResult = isClose
          ? { type: "ok", response: { type: "close" } }
          : { type: "error", error: i === ran ? current : after };
        results.push(JSON.stringify(result));
      }
      return { results, closed };
    }
  }

  /** Runs a cursor's batch (the client's JSON text) and returns its entries as JSON lines. */
  async cursor(body: string): Promise<string> {
    const proc = await this.#ensure();
    try {
      const done = await this.#pool.send(proc, { op: "cursor", conn: this.#id, body });
      this.#settle(done);
      return done.entries ?? "";
    } catch (error) {
      const entry: HranaCursorEntry = { type: "error", error: this.#lost(error, proc).current };
      return `${JSON.stringify(entry)}\n`;
    }
  }

  /** Closes the connection in its process (rolling back its transaction); never throws. */
  close(): void {
    const proc = this.#proc;
    this.#proc = undefined;
    if (proc?.alive) this.#pool.send(proc, { op: "close", conn: this.#id }).catch(() => {});
  }

  async #ensure(): Promise<SqlProcess> {
    if (this.#proc?.alive) return this.#proc;
    if (this.#proc) this.#lost(new SqlProcessLost(this.#proc), this.#proc); // it died while the stream was idle
    for (let attempt = 1; ; attempt++) {
      const proc = this.#pool.place();
      try {
        const open = { op: "open", conn: this.#id, resetReason: this.#resetReason } as const;
        this.#settle(await this.#pool.send(proc, open));
        this.#proc = proc;
        return proc;
      } catch (error) {
        // The process was stopped for another stream's statement before this connection existed: try another.
        if (!(error instanceof SqlProcessLost) || attempt === 3) throw error;
      }
    }
  }

  #settle(done: SqlDone): void {
    if (done.requestError) {
      const { status, code, message } = done.requestError;
      throw new HranaRequestError(status, code, message);
    }
    if (done.error) throw new HranaStmtError(done.error.code ?? "INTERNAL", done.error.message);
    this.#autocommit = done.autocommit ?? this.#autocommit;
  }

  // What the request the process died in, and the ones after it, report; and what the stream becomes.
  #lost(error: unknown, proc: SqlProcess): { current: HranaError; after: HranaError } {
    if (!(error instanceof SqlProcessLost)) throw error;
    this.#proc = undefined;
    const mine = proc.timedOut !== undefined && proc.timedOut.conn === this.#id;
    const limit = this.#pool.statementTimeoutMs;
    const why = mine
      ? `the statement ran longer than statementTimeoutMs (${limit} ms) and was stopped`
      : proc.timedOut
        ? `another stream's statement ran longer than statementTimeoutMs (${limit} ms) in the same SQL process, which was stopped`
        : (proc.deathReason ?? "the SQL process ended").replace(/^\[skiff\] /, "");
    const inTransaction = !this.#autocommit;
    if (inTransaction && this.#resetReason === undefined) {
      this.#resetReason = `the stream's connection was reset because ${why}; its transaction was rolled back`;
    }
    this.#autocommit = true;
    const current: HranaError = {
      code: mine ? "SQLITE_INTERRUPT" : "STREAM_CLOSED",
      message: `[skiff] ${why}${inTransaction ? "; the transaction was rolled back and this stream accepts no more statements" : ""}`,
    };
    return { current, after: { code: "STREAM_CLOSED", message: `[skiff] ${why}` } };
  }
}
