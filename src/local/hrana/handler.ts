import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigError } from "../../errors.js";
import { cursorEntries, executeBatch } from "./batch.js";
import { HranaConnection } from "./connection.js";
import { databasePath } from "./database-path.js";
import { HranaRequestError, toHranaError } from "./errors.js";
import { parseCursorBody, parsePipelineBody } from "./parse.js";
import { runPipeline } from "./pipeline.js";
import type { HranaCursorEntry, HranaPipelineResponse, HranaStreamResult, HranaVersion } from "./protocol.js";
import { StreamRegistry } from "./streams.js";

/**
 * Options of the local Hrana endpoint. Defaults follow sqld where it has one: streams expire after 10 s without a
 * request. `busyTimeoutMs` (default 15 s) is how long a statement waits for another stream's write transaction;
 * it is longer than the idle expiry so that a waiter outlives a lock left by a client that died.
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
  /** Open streams allowed at once; each is one SQLite connection. Default 256. */
  maxStreams?: number;
  /** Called with unexpected errors (answered with a 500). Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/**
 * A fetch-style Hrana-over-HTTP endpoint: `fetch` answers one request, `close` closes every stream.
 *
 * @example
 * ```ts
 * const hrana = createHranaHandler({ url: "file:dev.db" });
 * const res = await hrana.fetch(new Request("http://local/v2"));
 * await hrana.close();
 * ```
 */
export interface HranaHandler {
  /** Answers one HTTP request. Never throws: every failure is an HTTP error response. */
  fetch: (request: Request) => Promise<Response>;
  /** Closes every stream, rolling back open transactions. Later requests get a 503. */
  close: () => Promise<void>;
}

const JSON_TYPE = { "content-type": "application/json" }; // exactly this: the client parses errors only when it matches
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
  const maxStreams = positive(options.maxStreams, 256, "maxStreams");
  const onError =
    options.onError ?? ((error: unknown) => console.error("[skiff] Hrana server error:", error));
  const tokenDigest = options.authToken === undefined ? undefined : digest(options.authToken);
  const open = () => HranaConnection.open(path, { busyTimeoutMs });
  // journal_mode=WAL is stored in the file, so setting it once covers every later connection. This connection
  // then stays open, idle, until `close`: when the last connection to a WAL database closes, SQLite checkpoints
  // and deletes the WAL, and with one connection per stream that would happen on nearly every request.
  const anchor = openForSetup(() => HranaConnection.open(path, { busyTimeoutMs, wal: true }), path);

  const registry = new StreamRegistry({ open, idleTimeoutMs, maxStreams });

  const pipeline = async (request: Request, version: HranaVersion): Promise<Response> => {
    const body = parsePipelineBody(await readJson(request), version);
    const stream = registry.acquire(body.baton);
    let results: HranaStreamResult[];
    try {
      results = await runPipeline(stream, body.requests, version);
    } catch (error) {
      stream.closed = true; // the stream's state is unknown after an unexpected failure
      registry.release(stream);
      throw error;
    }
    const response: HranaPipelineResponse = { baton: registry.release(stream), base_url: null, results };
    return new Response(JSON.stringify(response), { headers: JSON_TYPE });
  };

  const cursor = async (request: Request): Promise<Response> => {
    const body = parseCursorBody(await readJson(request), 3);
    const stream = registry.acquire(body.baton);
    let entries: HranaCursorEntry[];
    try {
      entries = cursorEntries(await executeBatch(stream.conn, body.batch, stream.sqls));
    } catch (error) {
      entries = [{ type: "error", error: toHranaError(error) }];
    }
    const head = { baton: registry.release(stream), base_url: null };
    const lines = [head, ...entries].map((line) => `${JSON.stringify(line)}\n`).join("");
    return new Response(lines, { headers: { "content-type": "text/plain" } }); // as sqld sends JSON cursors
  };

  const endpoints = new Map<string, (request: Request) => Promise<Response>>([
    ["/v2/pipeline", (request) => pipeline(request, 2)],
    ["/v3/pipeline", (request) => pipeline(request, 3)],
    ["/v3/cursor", cursor],
  ]);

  const route = (request: Request): Promise<Response> | Response => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "") || "/";
    const method = request.method;
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
    return post(request);
  };

  return {
    fetch: async (request) => {
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
    },
    close: async () => {
      registry.closeAll();
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

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new HranaRequestError(400, "INVALID_REQUEST", "[skiff] the request body is not valid JSON");
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_TYPE, ...headers } });
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
