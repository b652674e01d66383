import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";

let server: SkiffServer;
beforeAll(async () => {
  const app = new Skiff();
  app.get("/", (c) => c.text("ok"));
  app.post("/echo", async (c) => c.text(await c.req.text()));
  server = await serve(app, {
    port: 0,
    env: {},
    database: { url: ":memory:" },
    handleSignals: false,
    scheduler: false,
    queues: false,
  });
});
afterAll(() => server.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes raw bytes to the server over 127.0.0.1 and reads the first response until the server closes (≤ 3 s). */
function raw(request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within 3 s; got ${JSON.stringify(data)}`));
    }, 3_000);
    socket.on("data", (chunk) => (data += chunk.toString("latin1")));
    socket.on("error", () => undefined); // a reset after the response is fine; parsing below decides
    socket.on("close", () => {
      clearTimeout(timer);
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) return reject(new Error(`no response head; got ${JSON.stringify(data)}`));
      const [statusLine = "", ...lines] = data.slice(0, end).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers["content-length"] ?? -1);
      const rest = data.slice(end + 4);
      resolve({
        status: Number(statusLine.split(" ")[1]),
        headers,
        body: length >= 0 ? rest.slice(0, length) : rest,
      });
    });
    socket.write(request, "latin1");
    // Half-close: a server that answers nothing would otherwise keep the socket open until the timer.
    setTimeout(() => socket.end(), 300);
  });
}

function expectProblem(response: RawResponse, status: number, closes = true) {
  expect(response.status).toBe(status);
  expect(response.headers["content-type"]).toBe("application/problem+json");
  if (closes) expect(response.headers.connection).toBe("close");
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(body).toMatchObject({ type: "about:blank", status });
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  // Nothing of the server's internals: no stack frame, no file path.
  expect(response.body).not.toMatch(/\bat \S+ \(|\/work\/|node_modules|\.ts\b/);
  return body;
}

describe("serve(): errors below the app are problem+json, not empty bodies or dropped sockets", () => {
  it("answers broken framing from Node's parser with 400", async () => {
    const both = await raw(
      "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    expect(expectProblem(both, 400).detail).toMatch(/not valid HTTP\/1\.1/);
    expectProblem(
      await raw("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
      400,
    );
    expectProblem(await raw("GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n"), 400);
    expectProblem(await raw("GET / HTTP/1.1\nHost: a\n\n"), 400);
    expectProblem(await raw("\u0000\u0001\u0002 garbage\r\n\r\n"), 400);
  });

  it("answers a broken chunked body with 400 even once the request reached the app", async () => {
    expectProblem(
      await raw("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
      400,
    );
  });

  it("answers oversized headers with 431", async () => {
    const big = await raw(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(expectProblem(big, 431).title).toBe("Request Header Fields Too Large");
  });

  it("answers a method Node does not know with 501, and CONNECT with 501", async () => {
    expectProblem(await raw("BREW / HTTP/1.1\r\nHost: a\r\n\r\n"), 501);
    expectProblem(await raw("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"), 501);
  });

  it("answers another HTTP version with 505", async () => {
    expectProblem(await raw("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505);
    expectProblem(await raw("GET / HTTP/3.1\r\nHost: a\r\n\r\n"), 505);
    expectProblem(await raw("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), 505);
    expectProblem(await raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505);
  });

  it("refuses an HTTP/1.1 request with a missing, repeated or invalid Host before the app", async () => {
    expect(expectProblem(await raw("GET / HTTP/1.1\r\n\r\n"), 400).detail).toMatch(/Host/);
    expectProblem(await raw("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 400);
    expectProblem(await raw("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
    expectProblem(await raw("GET / HTTP/1.1\r\nHost: exa mple.com\r\n\r\n"), 400);
    expectProblem(await raw("GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n"), 400);
    expectProblem(await raw("GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n"), 400);
  });

  it("checks every request's Host, whatever was accepted before, and counts Host lines in any case", async () => {
    const ok = await raw("GET / HTTP/1.1\r\nHost: localhost:8787\r\nConnection: close\r\n\r\n");
    expect(ok.status).not.toBe(400);
    expectProblem(await raw("GET / HTTP/1.1\r\nHost: localhost:99999\r\n\r\n"), 400);
    expectProblem(await raw("GET / HTTP/1.1\r\nhost: localhost:8787\r\nHOST: b\r\n\r\n"), 400);
  });

  it("accepts HTTP/1.0 without Host, and a valid Host with a port", async () => {
    const old = await raw("GET / HTTP/1.0\r\n\r\n");
    expect([old.status, old.body]).toEqual([200, "ok"]);
    const ok = await raw("GET / HTTP/1.1\r\nHost: localhost:8787\r\nConnection: close\r\n\r\n");
    expect([ok.status, ok.body]).toEqual([200, "ok"]);
  });

  it("answers a request the URL parser refuses with 400", async () => {
    // A request-level refusal: the connection may stay open.
    expectProblem(await raw("GET /a\\b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 400, false);
  });

  it("answers an unsupported Expect with 417", async () => {
    expectProblem(
      await raw("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: tea\r\nContent-Length: 0\r\n\r\n"),
      417,
    );
  });

  it("keeps serving afterwards", async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toBe("ok");
  });
});
