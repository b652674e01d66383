// Messages between the Hrana server and its SQL processes (child_process IPC, "advanced" serialization, so bigints
// and byte arrays cross as they are).
import type { HranaError, HranaVersion } from "./protocol.js";

/**
 * What a SQL process needs to open connections, given as its first command-line argument (JSON).
 *
 * @example
 * ```ts
 * const config: SqlProcessConfig = { path: "dev.db", busyTimeoutMs: 15_000, allowAttach: false };
 * ```
 */
export interface SqlProcessConfig {
  path: string;
  busyTimeoutMs: number;
  allowAttach: boolean;
}

/**
 * A command to a SQL process. `conn` names a connection inside it; `id` pairs the command with its `done`. `open`
 * with `resetReason` opens a connection that is already reset (see `HranaConnection.reset`): a stream whose process
 * died keeps refusing statements with that reason wherever it lands next. Request bodies travel as the JSON text
 * the client sent: validating and binding a 400,000-step batch is work for the SQL process, not the server.
 *
 * @example
 * ```ts
 * const command: SqlCommand = { op: "pipeline", id: 1, conn: 7, body: '{"baton":null,"requests":[]}', version: 3 };
 * ```
 */
export type SqlCommand =
  | { op: "open"; id: number; conn: number; resetReason?: string }
  | { op: "pipeline"; id: number; conn: number; body: string; version: HranaVersion }
  | { op: "cursor"; id: number; conn: number; body: string }
  | { op: "close"; id: number; conn: number };

/**
 * A report from a SQL process. `beat`: alive, `conn` being the connection at work (null when idle) and `statement`
 * whether a SQLite call is about to run (only then can the process hang); `result`: one pipeline result, as JSON
 * text, as soon as it exists, with the connection's autocommit state after it; `done`: the command finished, with
 * `requestError` when its body was malformed (nothing ran) and `entries` (JSON lines) for a cursor.
 *
 * @example
 * ```ts
 * child.on("message", (message: SqlReport) => { if (message.type === "beat") lastBeat = Date.now() });
 * ```
 */
export type SqlReport =
  | { type: "beat"; conn: number | null; statement: boolean }
  | { type: "result"; id: number; index: number; json: string; autocommit: boolean }
  | {
      type: "done";
      id: number;
      error?: HranaError;
      requestError?: { status: number; code: string; message: string };
      closed?: boolean;
      autocommit?: boolean;
      entries?: string;
    };
