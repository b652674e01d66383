// Wire shapes of Hrana over HTTP, JSON encoding, exactly as `@libsql/hrana-client` writes and reads them.
// Spec: https://github.com/tursodatabase/libsql/blob/main/docs/HRANA_3_SPEC.md (HTTP: HTTP_V2_SPEC.md).

/**
 * One SQLite value on the wire. Integers travel as decimal strings so 64-bit values survive JSON, blobs as base64.
 *
 * @example
 * ```ts
 * const id: HranaValue = { type: "integer", value: "9007199254740993" };
 * ```
 */
export type HranaValue =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

/**
 * A statement: its text (or the id of a text stored with `store_sql`), positional and named arguments.
 *
 * @example
 * ```ts
 * const stmt: HranaStmt = { sql: "SELECT * FROM users WHERE id = ?", args: [{ type: "integer", value: "1" }] };
 * ```
 */
export interface HranaStmt {
  sql?: string | null;
  sql_id?: number | null;
  args?: HranaValue[];
  named_args?: Array<{ name: string; value: HranaValue }>;
  want_rows?: boolean;
}

/**
 * The condition under which a batch step runs, evaluated against the steps before it.
 *
 * @example
 * ```ts
 * const onlyIfBeginWorked: HranaBatchCond = { type: "ok", step: 0 };
 * ```
 */
export type HranaBatchCond =
  | { type: "ok"; step: number }
  | { type: "error"; step: number }
  | { type: "not"; cond: HranaBatchCond }
  | { type: "and"; conds: HranaBatchCond[] }
  | { type: "or"; conds: HranaBatchCond[] }
  | { type: "is_autocommit" };

/**
 * A batch: steps run in order on one stream, each skipped when its condition is false.
 *
 * @example
 * ```ts
 * const batch: HranaBatch = { steps: [{ stmt: { sql: "BEGIN" } }, { condition: { type: "ok", step: 0 }, stmt: { sql: "COMMIT" } }] };
 * ```
 */
export interface HranaBatch {
  steps: Array<{ condition?: HranaBatchCond | null; stmt: HranaStmt }>;
}

/**
 * One request inside a pipeline. `get_autocommit` and the `is_autocommit` condition exist from version 3 on.
 *
 * @example
 * ```ts
 * const req: HranaStreamRequest = { type: "execute", stmt: { sql: "SELECT 1" } };
 * ```
 */
export type HranaStreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: HranaStmt }
  | { type: "batch"; batch: HranaBatch }
  | { type: "sequence"; sql?: string | null; sql_id?: number | null }
  | { type: "describe"; sql?: string | null; sql_id?: number | null }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number }
  | { type: "get_autocommit" };

/**
 * An error as the protocol carries it. `code` is machine readable (`SQLITE_CONSTRAINT`, `ARGS_INVALID`, ...).
 *
 * @example
 * ```ts
 * const err: HranaError = { message: "SQLite error: UNIQUE constraint failed: users.email", code: "SQLITE_CONSTRAINT" };
 * ```
 */
export interface HranaError {
  message: string;
  code?: string | null;
}

/**
 * A result column: its name and declared type (`null` for expressions).
 *
 * @example
 * ```ts
 * const col: HranaCol = { name: "email", decltype: "TEXT" };
 * ```
 */
export interface HranaCol {
  name: string | null;
  decltype: string | null;
}

/**
 * The result of one statement. `last_insert_rowid` is a decimal string (64-bit) or `null` when nothing was written.
 *
 * @example
 * ```ts
 * const r: HranaStmtResult = { cols: [], rows: [], affected_row_count: 1, last_insert_rowid: "7", query_duration_ms: 0.1 };
 * ```
 */
export interface HranaStmtResult {
  cols: HranaCol[];
  rows: HranaValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  query_duration_ms: number;
}

/**
 * The result of a batch: for step `i`, a result if it ran and succeeded, an error if it ran and failed, else `null`s.
 *
 * @example
 * ```ts
 * const r: HranaBatchResult = { step_results: [null], step_errors: [null] }; // step 0 was skipped
 * ```
 */
export interface HranaBatchResult {
  step_results: Array<HranaStmtResult | null>;
  step_errors: Array<HranaError | null>;
}

/**
 * What `describe` returns: parameter names (index 0 is parameter 1), result columns, and two flags.
 *
 * @example
 * ```ts
 * const d: HranaDescribeResult = { params: [{ name: ":id" }], cols: [], is_explain: false, is_readonly: false };
 * ```
 */
export interface HranaDescribeResult {
  params: Array<{ name: string | null }>;
  cols: Array<{ name: string; decltype: string | null }>;
  is_explain: boolean;
  is_readonly: boolean;
}

/**
 * The response to one pipeline request; its `type` always equals the request's.
 *
 * @example
 * ```ts
 * const resp: HranaStreamResponse = { type: "get_autocommit", is_autocommit: true };
 * ```
 */
export type HranaStreamResponse =
  | { type: "close" }
  | { type: "execute"; result: HranaStmtResult }
  | { type: "batch"; result: HranaBatchResult }
  | { type: "sequence" }
  | { type: "describe"; result: HranaDescribeResult }
  | { type: "store_sql" }
  | { type: "close_sql" }
  | { type: "get_autocommit"; is_autocommit: boolean };

/**
 * Success or failure of one pipeline request. A failure does not stop the requests after it.
 *
 * @example
 * ```ts
 * const res: HranaStreamResult = { type: "error", error: { message: "SQL string does not contain any statement", code: "SQL_NO_STATEMENT" } };
 * ```
 */
export type HranaStreamResult =
  { type: "ok"; response: HranaStreamResponse } | { type: "error"; error: HranaError };

/**
 * Body of `POST /v2/pipeline` and `POST /v3/pipeline`. A `null` baton opens a new stream.
 *
 * @example
 * ```ts
 * const body: HranaPipelineRequest = { baton: null, requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }, { type: "close" }] };
 * ```
 */
export interface HranaPipelineRequest {
  baton: string | null;
  requests: HranaStreamRequest[];
}

/**
 * Answer to a pipeline. A `null` baton means the stream is closed; `base_url` is always `null` (one server).
 *
 * @example
 * ```ts
 * const body: HranaPipelineResponse = { baton: null, base_url: null, results: [] };
 * ```
 */
export interface HranaPipelineResponse {
  baton: string | null;
  base_url: string | null;
  results: HranaStreamResult[];
}

/**
 * Body of `POST /v3/cursor`: a batch whose results come back as newline-delimited entries.
 *
 * @example
 * ```ts
 * const body: HranaCursorRequest = { baton: null, batch: { steps: [{ stmt: { sql: "SELECT 1" } }] } };
 * ```
 */
export interface HranaCursorRequest {
  baton: string | null;
  batch: HranaBatch;
}

/**
 * One line of a cursor response after the first (which holds `{ baton, base_url }`).
 *
 * @example
 * ```ts
 * const entry: HranaCursorEntry = { type: "row", row: [{ type: "integer", value: "1" }] };
 * ```
 */
export type HranaCursorEntry =
  | { type: "step_begin"; step: number; cols: HranaCol[] }
  | { type: "step_end"; affected_row_count: number; last_insert_rowid: string | null }
  | { type: "step_error"; step: number; error: HranaError }
  | { type: "row"; row: HranaValue[] }
  | { type: "error"; error: HranaError };

/**
 * Protocol version of an endpoint: `/v2/*` or `/v3/*`. Version 3 adds `get_autocommit`, `is_autocommit` and cursors.
 *
 * @example
 * ```ts
 * const version: HranaVersion = 3;
 * ```
 */
export type HranaVersion = 2 | 3;
