import type { MiddlewareHandler } from "hono";
import { authFailure, checkRealm, checkScopes, rememberChallenge, type Challenge } from "./_challenge.js";
import type { ApiKeyPrincipal, AuthVariables } from "./principal.js";
import { withOpenApi } from "../../src/openapi/_meta.js";

/**
 * One accepted API key: its public `id`, the SHA-256 hex of the key itself, and the scopes it grants.
 *
 * @example
 * ```ts
 * const entry: ApiKeyEntry = { id: "billing-cron", hash: await hashApiKey(key), scopes: ["reports:write"] };
 * ```
 */
export interface ApiKeyEntry {
  id: string;
  /** `sha256(key)` as 64 hex digits (see {@link hashApiKey}); the key itself is never configured. */
  hash: string;
  scopes?: readonly string[];
}

/**
 * Options of {@link apiKeyAuth}.
 *
 * @example
 * ```ts
 * const options: ApiKeyAuthOptions = { keys: [entry], header: "x-partner-key", realm: "partners" };
 * ```
 */
export interface ApiKeyAuthOptions {
  /**
   * The accepted keys, or a function of the platform env returning them (for hashes kept in secrets, which exist
   * only at request time on Workers). The function runs on the first request and its result is kept for that
   * env (the isolate's or process's); a bad result is a configuration error (500), never an open door.
   */
  keys: readonly ApiKeyEntry[] | ((env: Record<string, unknown>) => readonly ApiKeyEntry[]);
  /** Request header carrying the key. Default `x-api-key`. */
  header?: string;
  /** `realm` of the `WWW-Authenticate: ApiKey` challenge. Default `"api"`. */
  realm?: string;
}

const HEX64 = /^[0-9a-f]{64}$/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const fromHex = (hex: string): Uint8Array => {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
};

const sha256 = async (text: string): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));

// Both inputs are SHA-256 digests, so lengths are equal and public; the loop never exits early on a difference.
const timingSafeEqual = (a: Uint8Array, b: Uint8Array): boolean => {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
};

/**
 * The SHA-256 hex digest of an API key: the value to put in `apiKeyAuth({ keys: [{ hash }] })`, so that only the
 * key's owner ever holds the key itself.
 *
 * @example
 * ```ts
 * const hash = await hashApiKey("sk_live_3f9a..."); // "9c1b...", 64 hex digits
 * ```
 */
export const hashApiKey = async (key: string): Promise<string> =>
  [...(await sha256(key))].map((byte) => byte.toString(16).padStart(2, "0")).join("");

// The name of the key's security scheme in the OpenAPI document: `apiKey` for the default header.
const securityName = (header: string): string =>
  header.toLowerCase() === "x-api-key" ? "apiKey" : `apiKey-${header.replace(/[^A-Za-z0-9._-]/g, "_")}`;

/**
 * Authenticates requests by an API key in a header (`x-api-key` by default). Keys are configured only as SHA-256
 * hashes; the presented key is hashed with WebCrypto and compared with every configured hash in constant time, so
 * neither timing nor a leaked config reveals a key. On success `c.var.principal` is `{ type: "apiKey", subject:
 * id, scopes }`. A missing key is a 401 with a bare `ApiKey realm` challenge; a wrong or unknown key is a 401
 * `invalid_token` (RFC 6750's vocabulary, so clients parse one format), both as problem+json.
 *
 * @example
 * ```ts
 * app.use("/internal/*", apiKeyAuth({
 *   keys: [{ id: "billing-cron", hash: "9c1b...64 hex digits", scopes: ["reports:write"] }],
 * }));
 * ```
 */
export const apiKeyAuth = (options: ApiKeyAuthOptions): MiddlewareHandler<{ Variables: AuthVariables }> => {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("[skiff] apiKeyAuth: options are required");
  }
  const header = options.header ?? "x-api-key";
  if (typeof header !== "string" || !HEADER_NAME.test(header)) {
    throw new TypeError(`[skiff] apiKeyAuth: header ${JSON.stringify(header)} is not a valid header name`);
  }
  const resolveKeys = (entries: unknown) => {
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new TypeError("[skiff] apiKeyAuth: keys must be a non-empty array of { id, hash, scopes? }");
    }
    const ids = new Set<string>();
    const hashes = new Set<string>();
    return (entries as readonly ApiKeyEntry[]).map((entry, index) => {
      const where = `keys[${index}]`;
      if (typeof entry?.id !== "string" || entry.id === "" || ids.has(entry.id)) {
        throw new TypeError(`[skiff] apiKeyAuth: ${where}.id must be a non-empty string, unique among keys`);
      }
      if (typeof entry.hash !== "string" || !HEX64.test(entry.hash) || hashes.has(entry.hash.toLowerCase())) {
        throw new TypeError(
          `[skiff] apiKeyAuth: ${where}.hash must be a unique SHA-256 hex digest (64 hex digits)`,
        );
      }
      ids.add(entry.id);
      hashes.add(entry.hash.toLowerCase());
      const scopes = checkScopes("apiKeyAuth", `${where}.scopes`, entry.scopes ?? []);
      return { id: entry.id, digest: fromHex(entry.hash), scopes };
    });
  };
  type Key = ReturnType<typeof resolveKeys>[number];
  const source = options.keys;
  const fixed: Key[] | undefined = typeof source === "function" ? undefined : resolveKeys(source);
  // Keys from the env are kept per env object: one per isolate or process in production, but an app served by two
  // runtimes in one process (tests, a multi-tenant host) must never check one env's requests against another's keys.
  // An adapter that makes a per-request env from a fixed one (Node: Object.create(env)) shares the fixed one's keys.
  const fromEnv = new WeakMap<object, Key[]>();
  const noEnv = {};
  const stableOf = (env: object): object => {
    const proto = Object.getPrototypeOf(env) as object | null;
    return proto && proto !== Object.prototype ? proto : env;
  };
  const challenge: Challenge = { scheme: "ApiKey", realm: checkRealm("apiKeyAuth", options.realm ?? "api") };

  const middleware: MiddlewareHandler<{ Variables: AuthVariables }> = async function apiKeyAuth(c, next) {
    const presented = c.req.header(header);
    if (presented === undefined || presented === "") throw authFailure(challenge);
    let keys = fixed;
    if (!keys) {
      if (typeof source !== "function") throw new TypeError("[skiff] apiKeyAuth: keys are missing");
      const env = (c.env ?? noEnv) as Record<string, unknown>;
      keys = fromEnv.get(stableOf(env));
      if (!keys) fromEnv.set(stableOf(env), (keys = resolveKeys(source(env))));
    }
    const digest = await sha256(presented);
    let match: Key | undefined;
    // Compare against every key, not stopping at the first match, so timing does not depend on which key matched.
    for (const key of keys) if (timingSafeEqual(digest, key.digest) && match === undefined) match = key;
    if (match === undefined) throw authFailure(challenge, "invalid_token");

    const principal: ApiKeyPrincipal = { type: "apiKey", subject: match.id, scopes: match.scopes };
    rememberChallenge(principal, challenge);
    c.set("principal", principal);
    await next();
  };
  // What the OpenAPI document says of every route behind this middleware (src/openapi).
  return withOpenApi(middleware, {
    kind: "security",
    name: securityName(header),
    scheme: { type: "apiKey", in: "header", name: header },
  });
};
