import { executeBatch } from "./batch.js";
import type { HranaConnection } from "./connection.js";
import { HranaStmtError, toHranaError } from "./errors.js";
import type { ParsedRequest } from "./parse.js";
import type { HranaStreamResponse, HranaStreamResult, HranaVersion } from "./protocol.js";
import { bindStatement, resolveSql } from "./statement.js";

/** sqld's cap on texts stored per stream (libsql-server/src/hrana/http/request.rs); the client caches at most 30. */
const MAX_STORED_SQL = 50;

/**
 * A stream as the SQL process holds it: its connection, the SQL texts stored on it, and whether a `close` request
 * closed it.
 *
 * @example
 * ```ts
 * const stream: StreamState = { conn: HranaConnection.open(path, { busyTimeoutMs }), sqls: new Map(), closed: false };
 * ```
 */
export interface StreamState {
  readonly conn: HranaConnection;
  readonly sqls: Map<number, string>;
  closed: boolean;
}

/**
 * Runs the requests of one pipeline on a stream, in order. A failing request yields an error result and the next
 * requests still run, as the spec requires; a request after `close` fails with `STREAM_CLOSED`. `onResult` sees
 * each result as soon as it exists, so that a pipeline cut short still reports what already ran.
 *
 * @example
 * ```ts
 * const results = await runPipeline(stream, parsePipelineBody(body, 3).requests, 3);
 * ```
 */
export async function runPipeline(
  stream: StreamState,
  requests: readonly ParsedRequest[],
  version: HranaVersion,
  onResult: (result: HranaStreamResult, index: number) => void = () => {},
): Promise<HranaStreamResult[]> {
  const results: HranaStreamResult[] = [];
  for (const request of requests) {
    let result: HranaStreamResult;
    try {
      result = { type: "ok", response: await handle(stream, request, version) };
    } catch (error) {
      result = { type: "error", error: toHranaError(error) };
    }
    onResult(result, results.length);
    results.push(result);
  }
  return results;
}

async function handle(
  stream: StreamState,
  request: ParsedRequest,
  version: HranaVersion,
): Promise<HranaStreamResponse> {
  if (request.type === "close") {
    stream.closed = true;
    return { type: "close" };
  }
  if (stream.closed)
    throw new HranaStmtError("STREAM_CLOSED", "[skiff] the stream was closed earlier in this pipeline");
  const { conn, sqls } = stream;
  switch (request.type) {
    case "execute":
      return { type: "execute", result: await conn.execute(bindStatement(request.stmt, sqls)) };
    case "batch":
      return { type: "batch", result: await executeBatch(conn, request.batch, sqls) };
    case "sequence":
      await conn.sequence(resolveSql(request.sql, request.sqlId, sqls));
      return { type: "sequence" };
    case "describe":
      return { type: "describe", result: conn.describe(resolveSql(request.sql, request.sqlId, sqls)) };
    case "store_sql":
      if (sqls.has(request.sqlId))
        throw new HranaStmtError(
          "SQL_STORE_EXISTS",
          `[skiff] SQL text id ${request.sqlId} is already in use`,
        );
      if (sqls.size >= MAX_STORED_SQL) {
        throw new HranaStmtError(
          "SQL_STORE_TOO_MANY",
          `The server already stores ${sqls.size} SQL texts, it cannot store more`,
        );
      }
      sqls.set(request.sqlId, request.sql);
      return { type: "store_sql" };
    case "close_sql":
      sqls.delete(request.sqlId);
      return { type: "close_sql" };
    case "get_autocommit":
      if (version < 3)
        throw new HranaStmtError(
          "NOT_SUPPORTED",
          "[skiff] `get_autocommit` needs protocol version 3 (use /v3)",
        );
      return { type: "get_autocommit", is_autocommit: conn.isAutocommit() };
  }
}
