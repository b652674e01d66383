import {
  createServer,
  maxHeaderSize,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { getRequestListener, RequestError, type HttpBindings } from "@hono/node-server";
import { problemResponse, statusTitle } from "../../errors.js";
import type { Logger } from "../../logger.js";

/** What the server answers instead of the app: a status and a `detail` that quotes nothing the client sent. */
interface Refusal {
  status: number;
  detail: string;
}

/**
 * The `http.Server` behind {@link serve}: `@hono/node-server`'s request listener, plus problem+json answers for
 * what fails below the app, where Node would send an empty body or drop the socket: malformed HTTP from the parser
 * (`clientError`: 400, 431 for oversized headers, 501 for an unknown method, 505 for another HTTP version, 408 for
 * a request too slow), a missing, repeated or invalid `Host` (400, checked before the app, as RFC 9112 §3.2
 * requires), an `Expect` other than `100-continue` (417), and `CONNECT` (501: this is not a proxy).
 *
 * @example
 * ```ts
 * const server = createHttpServer((request) => app.fetch(request), { hostname: "127.0.0.1", log });
 * server.listen(8787, "127.0.0.1");
 * ```
 */
export function createHttpServer(
  fetch: (request: Request, bindings: HttpBindings) => Response | Promise<Response>,
  options: { hostname: string; log: Logger },
): Server {
  const listener = getRequestListener(fetch as Parameters<typeof getRequestListener>[0], {
    // Only HTTP/1.0 requests may omit Host (checked below); they are addressed to the bound host.
    hostname: options.hostname,
    errorHandler: (error) => {
      if (error instanceof RequestError) return problemResponse(400, { detail: `${error.message}.` });
      options.log.error("request failed before reaching the app", { error });
      return problemResponse(500, {});
    },
  });
  const hostMemo: HostMemo = { valid: "" };
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    const refusal = refuseRequest(request, hostMemo);
    if (refusal) return void answer(response, refusal);
    void listener(request, response);
  });
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    // A parser error on a pipelined request must never write into a response already under way. Node tracks the
    // socket's current response as `_httpMessage`, which is what its own default clientError handler checks, so no
    // per-request bookkeeping is needed here.
    const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || current?.headersSent) return void socket.destroy();
    writeRaw(socket, parserRefusal(error));
  });
  server.on("checkExpectation", (_request: IncomingMessage, response: ServerResponse) => {
    if (server.listenerCount("checkExpectation") > 1) return;
    answer(response, { status: 417, detail: "Only the expectation 100-continue is supported." });
  });
  server.on("connect", (_request: IncomingMessage, socket: Duplex) => {
    // Leave CONNECT (and Expect, above) to a listener the app added itself.
    if (server.listenerCount("connect") > 1) return;
    writeRaw(socket, { status: 501, detail: "CONNECT is not supported: this server is not a proxy." });
  });
  return server;
}

// RFC 3986 host (reg-name or IP literal) and an optional port. Anything stranger is refused before the app.
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::(\d{0,5}))?$/;

/** The last Host that passed HOST, per server: a server sees the same one on nearly every request. */
interface HostMemo {
  valid: string;
}

function refuseRequest(request: IncomingMessage, memo: HostMemo): Refusal | undefined {
  if (request.httpVersionMajor !== 1)
    return { status: 505, detail: `HTTP/${request.httpVersion} is not supported: use HTTP/1.1.` };
  // Node keeps only the first of repeated Host headers: count the raw lines. The length test first keeps the
  // per-request loop to a compare per header; only four-letter names are lower-cased.
  const raw = request.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === "host") hosts++;
  }
  if (hosts > 1) return { status: 400, detail: "The request has more than one Host header." };
  const host = request.headers.host;
  if (!host) {
    if (request.httpVersionMinor === 0) return undefined;
    return { status: 400, detail: "An HTTP/1.1 request needs a Host header." };
  }
  if (host === memo.valid) return undefined;
  const match = HOST.exec(host);
  if (!match || Number(match[1] ?? 0) > 65_535)
    return { status: 400, detail: "The Host header is not a valid host[:port]." };
  memo.valid = host;
  return undefined;
}

type ParserError = Error & { code?: string; reason?: string; rawPacket?: Buffer };

function parserRefusal(error: ParserError): Refusal {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        detail: `The request's headers exceed the ${maxHeaderSize} bytes this server accepts.`,
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, detail: "The request's chunk extensions are too large." };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, detail: "The request was not received in time." };
    case "HPE_PAUSED_H2_UPGRADE":
      return { status: 505, detail: "HTTP/2 is not served on this port: use HTTP/1.1." };
    case "HPE_INVALID_METHOD":
      // A well-formed method token this server does not know is 501 (RFC 9110 §9.1); anything else is garbage.
      if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+ /.test(error.rawPacket?.toString("latin1") ?? ""))
        return { status: 501, detail: "The request method is not implemented by this server." };
      break;
    case "HPE_INVALID_VERSION":
      if (error.reason === "Invalid HTTP version")
        return { status: 505, detail: "This HTTP version is not supported: use HTTP/1.1." };
      break;
  }
  // llhttp's reasons are fixed texts ("Invalid header value char"): they help a client and quote none of its bytes.
  const reason = typeof error.reason === "string" && error.reason ? `: ${error.reason}` : "";
  return { status: 400, detail: `The request is not valid HTTP/1.1${reason}.` };
}

function problemJson({ status, detail }: Refusal): string {
  const known = statusTitle(status);
  const title = known === "Error" || known === "Server Error" ? (STATUS_CODES[status] ?? known) : known;
  return JSON.stringify({ type: "about:blank", title, status, detail });
}

function answer(response: ServerResponse, refusal: Refusal): void {
  const body = problemJson(refusal);
  response.writeHead(refusal.status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  response.end(body);
}

// Below the parser there is no response object: write the whole HTTP/1.1 message to the socket and close it.
function writeRaw(socket: Duplex, refusal: Refusal): void {
  const body = problemJson(refusal);
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ""}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
  // A client that never closes its side must not keep the socket (and the server's close()) waiting.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/**
 * @internal Closes the server within `graceMs`. Keep-alive sockets would hold close() open until they time out:
 * each one is closed as soon as it is idle, so in-flight requests finish and nothing else waits. After the grace
 * period what is left is cut, upgraded sockets (WebSockets) included, since Node no longer tracks those as HTTP
 * connections.
 *
 * @example
 * ```ts
 * await closeHttp(server, sockets, 10_000);
 * ```
 */
export function closeHttp(server: Server, sockets: Set<Socket>, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const done = () => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    };
    const cut = setTimeout(() => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      done();
    }, graceMs);
    server.close(done);
    server.closeIdleConnections();
  });
}
