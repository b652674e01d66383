import type { Context, Env, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Logger } from "../../src/logger.js";
import type { SkiffVariables } from "../../src/types.js";
import { problem } from "../_problem.js";
import { background, principalIdentity } from "../_shared.js";
import { resolveStoreOptions, sha256, storeFor } from "./_shared.js";
import { capture, concat, readBody, replay } from "./_http.js";
import { withOpenApi } from "../../src/openapi/_meta.js";

/**
 * Context variables set by {@link idempotency}: the request's `Idempotency-Key`, or `undefined` when it has none,
 * for handlers that pass it on to a payment provider or another API.
 *
 * @example
 * ```ts
 * app.post("/charges", idempotency(), (c) => stripe.charges.create(params, { idempotencyKey: c.var.idempotencyKey }));
 * ```
 */
export interface IdempotencyVariables {
  idempotencyKey: string | undefined;
}

/**
 * Options of {@link idempotency}.
 *
 * @example
 * ```ts
 * idempotency({ ttlSeconds: 24 * 3600, lockSeconds: 30, required: true, scope: (c) => c.var.principal.subject });
 * ```
 */
export interface IdempotencyOptions<E extends Env = Env> {
  /** `"db"` (libSQL, atomic; default) or `"kv"` (best effort: two racing requests can both run). */
  store?: "db" | "kv";
  /** How long a finished request's response is replayed, in seconds (≥ 60). Default 86400 (24 h). */
  ttlSeconds?: number;
  /**
   * How long a running request holds its key before another may take it over, in seconds: set it above the
   * function's timeout, since a request still running past it could run twice. Default 60.
   */
  lockSeconds?: number;
  /** Default `Idempotency-Key`. */
  headerName?: string;
  /** Methods the key applies to. Default the unsafe ones: `POST`, `PUT`, `PATCH`, `DELETE`. */
  methods?: readonly string[];
  /** Reject requests of those methods without the header (400). Default false: they run normally. */
  required?: boolean;
  /**
   * Who owns a key, so one client can never replay another's response. Default (also when this returns `undefined`
   * or `""`): the principal an auth middleware that ran first verified (`c.var.principal`); without one, a hash of
   * every credential the request carries (`credentialHeaders` and `cookies`), so different credentials never share
   * entries.
   */
  scope?: (c: Context<E>) => string | undefined | Promise<string | undefined>;
  /**
   * Headers that carry credentials, hashed into the owner when no auth middleware ran before this one. Always
   * includes `authorization` and `x-api-key`; add a custom API-key header here (or, better, register the auth
   * middleware first).
   */
  credentialHeaders?: readonly string[];
  /** Names of cookies that carry a session, hashed into the owner like `credentialHeaders`. Default none. */
  cookies?: readonly string[];
  /** The clock, in ms since the epoch; for tests. Default `Date.now`. */
  now?: () => number;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const METHOD = /^[A-Z]+$/;
// The IETF draft makes the value a structured-field string (quoted); Stripe-style clients send it bare. Both work.
const KEY = /^[\x20-\x7e]{1,255}$/;
const SWEEP_INTERVAL_MS = 60_000;
const COOKIE_NAME = HEADER_NAME; // RFC 6265 cookie-name is an RFC 9110 token, like a header name

const isList = (value: unknown, pattern: RegExp): value is readonly string[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string" && pattern.test(v));

/**
 * Makes unsafe requests that carry an `Idempotency-Key` header run at most once (IETF
 * draft-ietf-httpapi-idempotency-key-header). The first request claims the key atomically and runs; a repeat with
 * the same key and the same payload (SHA-256 of method, path with query, and body) gets the stored response
 * (status, headers, body) with `Idempotent-Replayed: true`; the same key with a different payload is a 422; a repeat
 * while the first still runs is a 409 with `Retry-After`. A handler that throws or answers 5xx releases the key, so
 * the client's retry runs again; a returned 4xx is stored like any answer. Entries expire after `ttlSeconds`.
 *
 * With `store: "db"` (default) the claim is one libSQL upsert, so 50 concurrent identical requests run the handler
 * exactly once, across instances. `store: "kv"` is best effort (KV has no compare-and-set). The request body is read
 * into memory (register {@link bodyLimit} first) and the response is buffered to be stored. Keys belong to their
 * caller (the verified principal when an auth middleware ran first, else a hash of the request's credentials), so
 * one tenant can never replay another's response, and are hashed before storage.
 *
 * @example
 * ```ts
 * app.post("/api/orders", idempotency(), async (c) => {
 *   const order = await createOrder(c.var.db, await c.req.json()); // runs once per Idempotency-Key
 *   return c.json(order, 201);
 * });
 * // curl -X POST -H 'Idempotency-Key: 8e03978e-40d5-43e8-bc93-6894a57f9324' -d '{"sku":"a"}' .../api/orders
 * ```
 */
export const idempotency = <E extends Env = Env>(
  options: IdempotencyOptions<E> = {},
): MiddlewareHandler<E & { Variables: IdempotencyVariables }> => {
  const { store, ttlMs, lockMs, now } = resolveStoreOptions("idempotency", options);
  const {
    headerName = "Idempotency-Key",
    methods = ["POST", "PUT", "PATCH", "DELETE"],
    required = false,
    scope,
    credentialHeaders = [],
    cookies = [],
  } = options;
  if (typeof headerName !== "string" || !HEADER_NAME.test(headerName)) {
    throw new TypeError(
      `[skiff] idempotency: headerName ${JSON.stringify(headerName)} is not a valid header name`,
    );
  }
  if (
    !Array.isArray(methods) ||
    methods.length === 0 ||
    methods.some((m) => typeof m !== "string" || !METHOD.test(m))
  ) {
    throw new TypeError(
      `[skiff] idempotency: methods must be a non-empty array of upper-case method names (got ${JSON.stringify(methods)})`,
    );
  }
  if (typeof required !== "boolean") throw new TypeError("[skiff] idempotency: required must be a boolean");
  if (scope !== undefined && typeof scope !== "function")
    throw new TypeError("[skiff] idempotency: scope must be a function (c) => string");
  if (!isList(credentialHeaders, HEADER_NAME))
    throw new TypeError(
      `[skiff] idempotency: credentialHeaders must be an array of header names (got ${JSON.stringify(credentialHeaders)})`,
    );
  if (!isList(cookies, COOKIE_NAME))
    throw new TypeError(
      `[skiff] idempotency: cookies must be an array of cookie names (got ${JSON.stringify(cookies)})`,
    );
  const credentials = {
    headers: [...new Set(["authorization", "x-api-key", ...credentialHeaders.map((h) => h.toLowerCase())])],
    cookies: [...new Set(cookies)],
  };
  const unsafe = new Set(methods);
  let nextSweep = 0;

  const middleware: MiddlewareHandler<E & { Variables: IdempotencyVariables }> = async function idempotency(
    c,
    next,
  ) {
    if (!unsafe.has(c.req.method)) return next();
    const raw = c.req.header(headerName);
    c.set("idempotencyKey", undefined);
    if (raw === undefined) {
      if (required) throw problem(400, "Bad Request", `This endpoint requires an ${headerName} header`);
      return next();
    }
    const key = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
    if (!KEY.test(key))
      throw problem(
        400,
        "Bad Request",
        `The ${headerName} header must be 1 to 255 printable ASCII characters`,
      );

    const vars = c.var as Partial<SkiffVariables>;
    const entries = storeFor("idempotency", store, vars);
    const body = await readBody(c);
    const url = new URL(c.req.url);
    const fingerprint = await sha256(concat(`${c.req.method} ${url.pathname}${url.search}\n`, body));
    const scoped = scope ? await scope(c as unknown as Context<E>) : undefined;
    const owner = scoped ? `scope\n${scoped}` : await ownerOf(c, credentials);
    const id = await sha256(`http\n${owner}\n${key}`);
    const token = crypto.randomUUID();
    const started = now();

    const claim = await entries.claim(id, fingerprint, token, {
      now: started,
      lockedUntil: started + lockMs,
      expiresAt: started + ttlMs,
    });
    if (!claim.claimed) {
      const entry = claim.entry;
      if (entry && entry.fingerprint !== fingerprint) {
        throw problem(
          422,
          "Unprocessable Content",
          `This ${headerName} was already used for a different request (method, path or body)`,
        );
      }
      if (entry?.state !== "done" || !entry.response) {
        throw problem(
          409,
          "Conflict",
          `A request with this ${headerName} is still being processed; retry later`,
          undefined,
          { "Retry-After": "1" },
        );
      }
      return replay(entry.response);
    }

    if (started >= nextSweep) {
      nextSweep = started + SWEEP_INTERVAL_MS;
      background(c, entries.sweep(started), vars.log, "idempotency: sweeping expired entries failed");
    }
    c.set("idempotencyKey", key);
    let failed = true;
    try {
      await next();
      failed = c.error !== undefined || c.res.status >= 500;
    } finally {
      if (failed)
        await entries
          .release(id, token)
          .catch((error: unknown) =>
            logError(vars.log, "could not release a key; retries get 409 until lockSeconds pass", error),
          );
    }
    if (failed) return;
    try {
      const response = await capture(c);
      const at = now();
      await entries.complete(id, token, response, { now: at, expiresAt: at + ttlMs });
    } catch (error) {
      // The client still gets its answer; without a stored one, a retry runs the handler again once the key is free.
      logError(vars.log, "could not store a response; the key is released", error);
      await entries.release(id, token).catch(() => undefined);
    }
  };
  // What the OpenAPI document says of every route behind this middleware (src/openapi).
  return withOpenApi(middleware, {
    kind: "header",
    name: headerName,
    required,
    description:
      "A unique key per operation: a retry with the same key gets the first answer instead of running again",
  });
};

// The verified caller when an auth middleware ran first; otherwise every credential the request carries, so callers
// with different (or differently absent) credentials never share entries, whatever the auth comes after.
async function ownerOf(c: Context, credentials: { headers: string[]; cookies: string[] }): Promise<string> {
  const principal = principalIdentity(c);
  if (principal !== undefined) return `principal\n${principal}`;
  const presented = [
    ...credentials.headers.map((name) => [name, c.req.header(name) ?? null]),
    ...credentials.cookies.map((name) => [`cookie:${name}`, getCookie(c, name) ?? null]),
  ];
  return `credentials\n${await sha256(JSON.stringify(presented))}`;
}

function logError(log: Logger | undefined, msg: string, error: unknown): void {
  (log ?? console).error(`[skiff] idempotency: ${msg}`, { error });
}
