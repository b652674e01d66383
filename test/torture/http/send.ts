import { request } from "node:http";
import { connect } from "node:net";
import type { HostileRequest } from "./hostile.js";

/** What came back for one hostile request: status, content type and body text (`status: 0` when none came back). */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
  error?: string;
}

/**
 * Sends one request through node:http from `localAddress` (a loopback address of 127.0.0.0/8, so each simulated
 * client has its own rate-limit budget), with a time limit, and reads the whole answer.
 */
export function send(
  port: number,
  r: HostileRequest,
  localAddress: string,
  timeoutMs = 10_000,
): Promise<Answer> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined && !r.chunked) headers["content-length"] = String(Buffer.byteLength(r.body));
  let req: ReturnType<typeof request>;
  try {
    req = request({
      host: "127.0.0.1",
      port,
      method: r.method,
      path: r.path,
      headers,
      localAddress,
      agent: false,
    });
  } catch {
    // node:http refuses to send some hostile header values (NUL, non-Latin-1): send those bytes raw instead.
    return sendRaw(port, rawBytes(r, headers), localAddress, timeoutMs);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => req.destroy(new Error("timed out")), timeoutMs);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
      res.on("error", (e) => finish(e));
    });
    const finish = (e: Error) => {
      clearTimeout(timer);
      resolve({ status: 0, contentType: "", body: "", error: e.message });
    };
    req.on("error", finish);
    if (r.body !== undefined && r.chunked) {
      const data = Buffer.from(r.body);
      for (let i = 0; i < data.length; i += r.chunked) req.write(data.subarray(i, i + r.chunked));
    } else if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** Writes raw bytes on a bare socket and reads what the server answers until it closes or `timeoutMs` passes. */
export function sendRaw(
  port: number,
  bytes: Buffer,
  localAddress: string,
  timeoutMs = 5_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress });
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type:\s*([^\r\n]*)/i.exec(head)?.[1] ?? "";
      resolve({ status, contentType, body: rest.join("\r\n\r\n") });
    };
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", done);
    socket.on("error", () => undefined);
    socket.write(bytes);
    // Half-close so a server waiting for more body sees the end of the stream.
    setTimeout(() => socket.end(), 200);
  });
}

/** The request as bytes on the wire, UTF-8 encoded, for what node:http will not send. */
function rawBytes(r: HostileRequest, headers: Record<string, string>): Buffer {
  const head = [`${r.method} ${r.path} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
  return Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), Buffer.from(r.body ?? "")]);
}
