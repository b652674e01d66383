import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigError } from "../../errors.js";
import { HranaConnection } from "./connection.js";
import { databasePath } from "./database-path.js";
import { HranaRequestError, toHranaError } from "./errors.js";
import { corsHeaders, jsonResponse as json, preflight, refuseForeign, refuseNonJson } from "./http-guard.js";
import type { HranaVersion } from "./protocol.js";
import { RemoteConnection } from "./remote-connection.js";
import { SqlProcessPool } from "./sql-process-pool.js";
import { StreamRegistry, type HranaStream } from "./streams.js";

/**
 * Options of the local Hrana endpoint. Defaults follow sqld where it has one: streams expire after 10 s without a
 * request. `busyTimeoutMs` (default 15 s) is how long a statement waits for another stream's write transaction;
 * it is longer than the idle expiry so that a waiter outlives a lock left by a client that died. Statements run in
 * SQL processes (at most `maxProcesses`), so a long one never blocks the server, and one that runs longer than
 * `statementTimeoutMs` is stopped.
 *
 * @example
 * ```ts
 * const options: HranaHandlerOptions = { url: "file:.skiff/dev.db", authToken: process.env.TURSO_AUTH_TOKEN };
 * ```
 */
export interface HranaHandlerOptions {
  /** The database: a `file:` URL (`file:data/app.db`) or a path. */
  url: string;
  /** When set, pipeline and cursor requests need `Authorization: Bearer <authToken>`. */
  authToken?: string | undefined;
  /** Close a stream (rolling back its transaction) after this long without a request. Default 10 000. */
  streamIdleTimeoutMs?: number;
  /** How long a statement waits for a lock held by another stream before failing with SQLITE_BUSY. Default 15 000. */
  busyTimeoutMs?: number;
  /**
   * Longest a single statement may run; past it, it is stopped and fails with `SQLITE_INTERRUPT`. Its stream stays
   * usable outside a transaction; inside one, the transaction is rolled back. Default 10 000.
   */
  statementTimeoutMs?: number;
  /** SQL processes started at most (each holds many connections; a runaway statement stops one). Default 4. */
  maxProcesses?: number;
  /** Open streams allowed at once; each is one SQLite connection. Default 256. */
  maxStreams?: number;
  /** Let statements run `ATTACH`, `DETACH` and `VACUUM INTO`, which open or write files anywhere. Default false. */
  allowAttach?: boolean;
  /**
   * Browser origins (`http://localhost:5173`) allowed to use the endpoint, or `["*"]`. Requests carrying any other
   * `Origin` get a 403, so a web page cannot reach a development database. Default: none.
   */
  allowedOrigins?: readonly string[];
  /**
   * Host names accepted in the `Host` header besides loopback ones (`localhost`, `127.0.0.1`, `[::1]`), or `["*"]`.
   * Anything else gets a 421, which defeats DNS rebinding. Default: none (`serveHrana` adds its own hostname).
   */
  allowedHosts?: readonly string[];
  /** Called with unexpected errors (answered with a 500). Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * A fetch-style Hrana-over-HTTP endpoint: `fetch` answers one request, `close` closes every stream.
 *
 * @example
 * ```ts
 * const hrana = createHranaHandler({ url: "file:dev.db" });
 * const res = await hrana.fetch(new Request("http://127.0.0.1/v2")); // Host must be loopback or in allowedHosts
 * await hrana.close();
 * ```
 */
export interface HranaHandler {
  /** Answers one HTTP request. Never throws: every failure is an HTTP error response. */
  fetch: (request: Request) => Promise<Response>;
  /** Closes every stream, rolling back open transactions. Later requests get a 503. */
  close: () => Promise<void>;
}

const VERSION_TEXT = "skiff local libSQL server: Hrana over HTTP, versions 2 and 3 (JSON)\n";

/**
 * Creates the Hrana-over-HTTP endpoint for a local libSQL file: `GET /v2`, `GET /v3`, `GET /health`,
 * `POST /v2/pipeline`, `POST /v3/pipeline` and `POST /v3/cursor`. Protobuf (`/v3-protobuf`) is not served, so
 * clients that probe it fall back to JSON. Opens the database once to switch it to WAL (readers never wait for
 * the writer) and to fail now, not at the first request, when the file cannot be opened.
 *
 * @example
 * ```ts
 * const hrana = createHranaHandler({ url: "file:dev.db", authToken: "secret" });
 * const client = createClient({ url: "http://127.0.0.1:8080", authToken: "secret", fetch: hrana.fetch });
 * ```
 */
export function createHranaHandler(options: HranaHandlerOptions): HranaHandler {
  const path = databasePath(options.url);
  const idleTimeoutMs = positive(options.streamIdleTimeoutMs, 10_000, "streamIdleTimeoutMs");
  const busyTimeoutMs = positive(options.busyTimeoutMs, 15_000, "busyTimeoutMs");
  const statementTimeoutMs = positive(options.statementTimeoutMs, 10_000, "statementTimeoutMs");
  const maxProcesses = positive(options.maxProcesses, 4, "maxProcesses");
  const maxStreams = positive(options.maxStreams, 256, "maxStreams");
  const rules = { hosts: lowerCase(options.allowedHosts), origins: [...(options.allowedOrigins ?? [])] };
  const onError =
    options.onError ?? ((error: unknown) => console.error("[skiff] Hrana server error:", error));
  const tokenDigest = options.authToken === undefined ? undefined : digest(options.authToken);
  // journal_mode=WAL is stored in the file, so setting it once covers every later connection. This connection
  // then stays open, idle, until `close`: when the last connection to a WAL database closes, SQLite checkpoints
  // and deletes the WAL, and with one connection per stream that would happen on nearly every request.
  const anchor = openForSetup(() => HranaConnection.open(path, { busyTimeoutMs, wal: true }), path);
  const pool = new SqlProcessPool({
    config: { path, busyTimeoutMs, allowAttach: options.allowAttach ?? false },
    maxProcesses,
    statementTimeoutMs,
    onError,
  });

  const registry = new StreamRegistry({ open: () => new RemoteConnection(pool), idleTimeoutMs, maxStreams });

  // The body is parsed here only for its baton; the SQL process validates it (a malformed one leaves the stream
  // as it was, baton included) and runs it, so that a huge batch costs this thread one JSON.parse.
  const pipeline = async (request: Request, version: HranaVersion): Promise<Response> => {
    const { text, baton, body } = await readBody(request);
    const requests = Array.isArray(body["requests"]) ? (body["requests"] as unknown[]) : [];
    const stream = registry.acquire(baton);
    let outcome: Awaited<ReturnType<RemoteConnection["pipeline"]>>;
    try {
      outcome = await stream.conn.pipeline(text, requests, version);
    } catch (error) {
      giveBack(stream, baton, error);
      throw error;
    }
    if (outcome.closed) stream.closed = true;
    const head = `{"baton":${JSON.stringify(registry.release(stream))},"base_url":null,"results":[`;
    return new Response(`${head}${outcome.results.join(",")}]}`, {
      headers: { "content-type": "application/json" },
    });
  };

  const cursor = async (request: Request): Promise<Response> => {
    const { text, baton } = await readBody(request);
    const stream = registry.acquire(baton);
    let entries: string;
    try {
      entries = await stream.conn.cursor(text);
    } catch (error) {
      if (error instanceof HranaRequestError) {
        giveBack(stream, baton, error);
        throw error;
      }
      entries = `${JSON.stringify({ type: "error", error: toHranaError(error) })}\n`;
    }
    const head = { baton: registry.release(stream), base_url: null };
    // as sqld sends JSON cursors
    return new Response(`${JSON.stringify(head)}\n${entries}`, { headers: { "content-type": "text/plain" } });
  };

  // After a malformed body nothing ran, so an existing stream keeps its baton; anything else leaves it unknown.
  const giveBack = (stream: HranaStream, baton: string | null, error: unknown) => {
    if (error instanceof HranaRequestError && baton !== null) return registry.restore(stream, baton);
    stream.closed = true;
    registry.release(stream);
  };

  const endpoints = new Map<string, (request: Request) => Promise<Response>>([
    ["/v2/pipeline", (request) => pipeline(request, 2)],
    ["/v3/pipeline", (request) => pipeline(request, 3)],
    ["/v3/cursor", cursor],
  ]);

  const route = (request: Request): Promise<Response> | Response => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "") || "/";
    const method = request.method;
    if (method === "OPTIONS" && request.headers.has("origin")) return preflight(request);
    if (path === "/" || path === "/v2" || path === "/v3") {
      return method === "GET" || method === "HEAD" ? new Response(VERSION_TEXT) : notAllowed("GET");
    }
    if (path === "/health")
      return method === "GET" ? json(200, { status: "ok", streams: registry.size }) : notAllowed("GET");
    const post = endpoints.get(path);
    if (!post) {
      const message = `[skiff] no Hrana endpoint at ${path} (this server speaks JSON on /v2 and /v3)`;
      return json(404, { message, code: "NOT_FOUND" });
    }
    if (method !== "POST") return notAllowed("POST");
    // Version probes stay public (the client sends them without a token); statements do not.
    if (tokenDigest && !authorized(request.headers.get("authorization"), tokenDigest)) {
      return json(
        401,
        {
          message: "[skiff] missing or wrong bearer token (Authorization: Bearer <authToken>)",
          code: "UNAUTHORIZED",
        },
        { "www-authenticate": "Bearer" },
      );
    }
    return refuseNonJson(request) ?? post(request);
  };

  const answer = async (request: Request): Promise<Response> => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof HranaRequestError)
        return json(error.status, { message: error.message, code: error.code });
      onError(error);
      return json(500, {
        message: `[skiff] internal error in the Hrana server: ${(error as Error)?.message ?? String(error)}`,
        code: "INTERNAL",
      });
    }
  };

  return {
    fetch: async (request) => {
      const refused = refuseForeign(request, rules);
      if (refused) return refused;
      const response = await answer(request);
      // The origin is absent or allowed here: let that page read the answer.
      for (const [name, value] of Object.entries(corsHeaders(request))) response.headers.set(name, value);
      return response;
    },
    close: async () => {
      registry.closeAll();
      await pool.close();
      anchor.close();
    },
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`[skiff] serveHrana: ${name} must be a positive number, got ${value}`, {
      variable: name,
    });
  return value;
}

function openForSetup(open: () => HranaConnection, path: string): HranaConnection {
  try {
    return open();
  } catch (error) {
    throw new ConfigError(
      `[skiff] serveHrana: cannot open the database file ${JSON.stringify(path)}: ${(error as Error).message}`,
      { variable: "url", cause: error },
    );
  }
}

async function readBody(
  request: Request,
): Promise<{ text: string; baton: string | null; body: Record<string, unknown> }> {
  const text = await request.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HranaRequestError(400, "INVALID_REQUEST", "[skiff] the request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HranaRequestError(400, "INVALID_REQUEST", "[skiff] body: expected an object");
  const baton = (body as Record<string, unknown>)["baton"] ?? null;
  if (baton !== null && typeof baton !== "string")
    throw new HranaRequestError(400, "INVALID_REQUEST", "[skiff] baton: expected a string");
  return { text, baton, body: body as Record<string, unknown> };
}

function lowerCase(hosts: readonly string[] | undefined): string[] {
  return (hosts ?? []).map((h) => h.toLowerCase().replace(/^\[(.*)\]$/, "$1"));
}

function notAllowed(allow: string): Response {
  return json(
    405,
    { message: `[skiff] method not allowed; use ${allow}`, code: "METHOD_NOT_ALLOWED" },
    { allow },
  );
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

// Both sides are hashed to the same length first, so the comparison takes the same time whatever the token.
function authorized(header: string | null, expected: Buffer): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return timingSafeEqual(digest(match?.[1] ?? ""), expected) && match !== null;
}
