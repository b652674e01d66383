// Validation of request bodies. Everything a client sends is checked here, once, before any stream is touched, so
// the rest of the server works with well-formed values and a malformed request is a 400 that names the field.
import { HranaRequestError } from "./errors.js";
import type { HranaBatchCond, HranaVersion } from "./protocol.js";
import { decodeValue, type SqlValue } from "./values.js";

/**
 * A statement after validation: its text or stored-text id (exactly one is set) and decoded arguments.
 *
 * @example
 * ```ts
 * const stmt: ParsedStmt = { sql: "SELECT :id", sqlId: undefined, args: [], named: new Map([["id", 1n]]), wantRows: true };
 * ```
 */
export interface ParsedStmt {
  sql: string | undefined;
  sqlId: number | undefined;
  args: SqlValue[];
  named: Map<string, SqlValue>;
  wantRows: boolean;
}

/**
 * A batch after validation: every condition only refers to steps before its own.
 *
 * @example
 * ```ts
 * const batch: ParsedBatch = { steps: [{ condition: null, stmt }] };
 * ```
 */
export interface ParsedBatch {
  steps: Array<{ condition: HranaBatchCond | null; stmt: ParsedStmt }>;
}

/**
 * A pipeline request after validation (see `HranaStreamRequest` for the wire form).
 *
 * @example
 * ```ts
 * const req: ParsedRequest = { type: "sequence", sql: "CREATE TABLE a (x); CREATE TABLE b (y)", sqlId: undefined };
 * ```
 */
export type ParsedRequest =
  | { type: "close" }
  | { type: "execute"; stmt: ParsedStmt }
  | { type: "batch"; batch: ParsedBatch }
  | { type: "sequence" | "describe"; sql: string | undefined; sqlId: number | undefined }
  | { type: "store_sql"; sqlId: number; sql: string }
  | { type: "close_sql"; sqlId: number }
  | { type: "get_autocommit" };

type Json = Record<string, unknown>;

const invalid = (where: string, why: string) =>
  new HranaRequestError(400, "INVALID_REQUEST", `[skiff] ${where}: ${why}`);
const MAX_COND_DEPTH = 64;

function object(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid(where, "expected an object");
  return value as Json;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(where, "expected an array");
  return value;
}

function optionalArray(value: unknown, where: string): unknown[] {
  return value === undefined || value === null ? [] : array(value, where);
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(where, "expected a string");
  return value;
}

function int32(value: unknown, where: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw invalid(where, "expected a 32-bit integer");
  }
  return value;
}

function optionalInt32(value: unknown, where: string): number | undefined {
  return value === undefined || value === null ? undefined : int32(value, where);
}

/** `sql` and `sql_id` are alternatives: exactly one must be given. */
function sqlSource(body: Json, where: string): { sql: string | undefined; sqlId: number | undefined } {
  const sql = optionalString(body["sql"], `${where}.sql`);
  const sqlId = optionalInt32(body["sql_id"], `${where}.sql_id`);
  if ((sql === undefined) === (sqlId === undefined))
    throw invalid(where, "give exactly one of `sql` and `sql_id`");
  return { sql, sqlId };
}

function parseStmt(value: unknown, where: string): ParsedStmt {
  const body = object(value, where);
  const args = optionalArray(body["args"], `${where}.args`).map((v, i) =>
    decodeValue(v, `${where}.args[${i}]`),
  );
  const named = new Map<string, SqlValue>();
  optionalArray(body["named_args"], `${where}.named_args`).forEach((entry, i) => {
    const arg = object(entry, `${where}.named_args[${i}]`);
    const name = optionalString(arg["name"], `${where}.named_args[${i}].name`);
    if (name === undefined) throw invalid(`${where}.named_args[${i}]`, "a named argument needs a `name`");
    named.set(name, decodeValue(arg["value"], `${where}.named_args[${i}].value`));
  });
  const wantRows = body["want_rows"] ?? true;
  if (typeof wantRows !== "boolean") throw invalid(`${where}.want_rows`, "expected a boolean");
  return { ...sqlSource(body, where), args, named, wantRows };
}

function parseCond(
  value: unknown,
  where: string,
  stepIndex: number,
  version: HranaVersion,
  depth = 0,
): HranaBatchCond {
  if (depth > MAX_COND_DEPTH) throw invalid(where, "conditions are nested too deeply");
  const body = object(value, where);
  switch (body["type"]) {
    case "ok":
    case "error": {
      const step = int32(body["step"], `${where}.step`);
      // A condition can only look back: the spec evaluates steps in order.
      if (step < 0 || step >= stepIndex)
        throw invalid(`${where}.step`, `must refer to a step before step ${stepIndex}`);
      return { type: body["type"], step };
    }
    case "not":
      return { type: "not", cond: parseCond(body["cond"], `${where}.cond`, stepIndex, version, depth + 1) };
    case "and":
    case "or": {
      const conds = array(body["conds"], `${where}.conds`);
      return {
        type: body["type"],
        conds: conds.map((c, i) => parseCond(c, `${where}.conds[${i}]`, stepIndex, version, depth + 1)),
      };
    }
    case "is_autocommit":
      if (version < 3) throw invalid(where, "`is_autocommit` needs protocol version 3 (use /v3)");
      return { type: "is_autocommit" };
    default:
      throw invalid(`${where}.type`, `unknown condition type ${JSON.stringify(body["type"])}`);
  }
}

function parseBatch(value: unknown, where: string, version: HranaVersion): ParsedBatch {
  const steps = array(object(value, where)["steps"], `${where}.steps`).map((entry, i) => {
    const step = object(entry, `${where}.steps[${i}]`);
    const cond = step["condition"];
    return {
      condition:
        cond === undefined || cond === null
          ? null
          : parseCond(cond, `${where}.steps[${i}].condition`, i, version),
      stmt: parseStmt(step["stmt"], `${where}.steps[${i}].stmt`),
    };
  });
  return { steps };
}

function parseRequest(value: unknown, where: string, version: HranaVersion): ParsedRequest {
  const body = object(value, where);
  switch (body["type"]) {
    case "close":
    case "get_autocommit":
      return { type: body["type"] };
    case "execute":
      return { type: "execute", stmt: parseStmt(body["stmt"], `${where}.stmt`) };
    case "batch":
      return { type: "batch", batch: parseBatch(body["batch"], `${where}.batch`, version) };
    case "sequence":
    case "describe":
      return { type: body["type"], ...sqlSource(body, where) };
    case "store_sql": {
      const sql = optionalString(body["sql"], `${where}.sql`);
      if (sql === undefined) throw invalid(`${where}.sql`, "`store_sql` needs the SQL text");
      return { type: "store_sql", sqlId: int32(body["sql_id"], `${where}.sql_id`), sql };
    }
    case "close_sql":
      return { type: "close_sql", sqlId: int32(body["sql_id"], `${where}.sql_id`) };
    default:
      throw invalid(`${where}.type`, `unknown request type ${JSON.stringify(body["type"])}`);
  }
}

/**
 * Validates the body of `POST /v2/pipeline` or `/v3/pipeline`, throwing a 400 {@link HranaRequestError} that names
 * the offending field.
 *
 * @example
 * ```ts
 * const { baton, requests } = parsePipelineBody(JSON.parse(text), 3);
 * ```
 */
export function parsePipelineBody(
  value: unknown,
  version: HranaVersion,
): { baton: string | null; requests: ParsedRequest[] } {
  const body = object(value, "body");
  const requests = array(body["requests"], "requests").map((r, i) =>
    parseRequest(r, `requests[${i}]`, version),
  );
  return { baton: optionalString(body["baton"], "baton") ?? null, requests };
}

/**
 * Validates the body of `POST /v3/cursor`.
 *
 * @example
 * ```ts
 * const { baton, batch } = parseCursorBody(JSON.parse(text), 3);
 * ```
 */
export function parseCursorBody(
  value: unknown,
  version: HranaVersion,
): { baton: string | null; batch: ParsedBatch } {
  const body = object(value, "body");
  return {
    baton: optionalString(body["baton"], "baton") ?? null,
    batch: parseBatch(body["batch"], "batch", version),
  };
}
