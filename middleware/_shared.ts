import type { Context } from "hono";
import type { Logger } from "../src/logger.js";
import { challengeFor } from "./auth/_challenge.js";
import type { Principal } from "./auth/principal.js";

/**
 * SHA-256 of bytes or text as base64url without padding (43 characters): how rate limits and idempotency store
 * keys, so neither raw IPs nor API keys nor request bodies are ever persisted.
 *
 * @example
 * ```ts
 * const id = await sha256(`${method} ${path}`);
 * ```
 */
export async function sha256(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return btoa(String.fromCharCode(...digest))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * Runs work that need not delay the response: on the platform's `waitUntil` where there is one; otherwise it just
 * runs on. A failure is logged as `what`, never thrown.
 *
 * @example
 * ```ts
 * background(c, store.sweep(), c.var.log, "idempotency: sweeping expired entries failed");
 * ```
 */
export function background(c: Context, task: Promise<unknown>, log: Logger | undefined, what: string): void {
  const guarded = task.catch((error: unknown) => (log ?? console).warn(`[skiff] ${what}`, { error }));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (a plain Hono app called with app.request()): the task still completes.
  }
}

/**
 * Makes sure the response carries `headers` after `next()`: untouched when it already does (headers prepared with
 * `c.header()` before `next()` reach every response built through `c`), set in place where they are mutable, and
 * only as a last resort through `c.header()`, which copies a finalized response and costs Node's direct-write
 * fast path. 101 upgrades are left alone: a copy would lose the platform's socket.
 *
 * @example
 * ```ts
 * c.header("RateLimit-Limit", "100");
 * await next();
 * ensureResponseHeaders(c, { "RateLimit-Limit": "100" });
 * ```
 */
export function ensureResponseHeaders(c: Context, headers: Record<string, string>): void {
  for (const name in headers) ensureResponseHeader(c, name, headers[name] ?? "");
}

/**
 * @internal {@link ensureResponseHeaders} for one header, without building a record per request. On Node the
 * check is cheap: a response built through `c` keeps the prepared `Headers` object, which `res.headers` returns
 * without materialising `@hono/node-server`'s lightweight response.
 *
 * @example
 * ```ts
 * c.header("X-Request-Id", id);
 * await next();
 * ensureResponseHeader(c, "X-Request-Id", id);
 * ```
 */
export function ensureResponseHeader(c: Context, name: string, value: string): void {
  const res = c.res;
  if (res.status === 101) return;
  if (res.headers.get(name) === value) return;
  try {
    res.headers.set(name, value);
  } catch {
    c.header(name, value); // immutable headers (a fetched or redirect Response): copy it
  }
}

/**
 * @internal The authenticated caller as one stable string, or `undefined` when no auth middleware ran: the
 * principal's type, the realm of the middleware that authenticated it, for JWTs the issuer, and the subject.
 * JSON-encoded so no choice of subject can collide with another combination. Rate limits and idempotency key on
 * it, since it is the only identity a request has proven.
 *
 * @example
 * ```ts
 * const who = principalIdentity(c); // '["apiKey","api","tenant-a"]'
 * ```
 */
export function principalIdentity(c: Context): string | undefined {
  const principal = (c.var as { principal?: unknown }).principal as Principal | undefined;
  if (typeof principal !== "object" || principal === null) return undefined;
  if (typeof principal.type !== "string" || typeof principal.subject !== "string") return undefined;
  const { realm } = challengeFor(principal);
  const issuer =
    principal.type === "jwt" && typeof principal.claims?.iss === "string" ? principal.claims.iss : "";
  return JSON.stringify([principal.type, realm, issuer, principal.subject]);
}
