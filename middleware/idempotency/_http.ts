import type { Context } from "hono";
import type { StoredResponse } from "./store.js";

const NULL_BODY = new Set([101, 103, 204, 205, 304]);
// Per-hop or per-response headers that must not be replayed; Set-Cookie because a session belongs to its request.
const NOT_STORED = new Set([
  "set-cookie",
  "content-length",
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
]);

/**
 * @internal Reads the body once, for the fingerprint. Hono caches it for `c.req.json()`, `text()` and the rest, and
 * the raw request gets a fresh copy for handlers that read `c.req.raw` directly.
 */
export async function readBody(c: Context): Promise<Uint8Array<ArrayBuffer>> {
  if (c.req.raw.body === null) return new Uint8Array();
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  c.req.raw = new Request(c.req.raw, { body: bytes });
  return bytes;
}

/** @internal `prefix` (UTF-8) followed by `body`: what the fingerprint hashes. */
export function concat(prefix: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = new TextEncoder().encode(prefix);
  const out = new Uint8Array(head.byteLength + body.byteLength);
  out.set(head);
  out.set(body, head.byteLength);
  return out;
}

/** @internal Buffers the handler's response so it can be both stored and sent; `c.res` becomes the buffered copy. */
export async function capture(c: Context): Promise<StoredResponse> {
  const res = c.res;
  const body = new Uint8Array(await res.arrayBuffer());
  c.res = new Response(NULL_BODY.has(res.status) ? null : body, res);
  const headers: Array<[string, string]> = [];
  res.headers.forEach((value, name) => {
    if (!NOT_STORED.has(name)) headers.push([name, value]);
  });
  return { status: res.status, headers, body };
}

/** @internal The stored response again, marked `Idempotent-Replayed: true` (as Stripe and others do). */
export function replay(stored: StoredResponse): Response {
  const headers = new Headers(stored.headers);
  headers.set("Idempotent-Replayed", "true");
  return new Response(NULL_BODY.has(stored.status) ? null : stored.body, { status: stored.status, headers });
}
