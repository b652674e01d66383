import type { Context, Env } from "hono";
import { principalIdentity } from "../_shared.js";
import { clientIp } from "./client-ip.js";
import type { RateLimitAlgorithm } from "./window.js";

/**
 * How a request is attributed to a client: `"ip"` (the address the platform vouches for, see {@link clientIp});
 * `"principal"` (the caller an auth middleware registered before this one verified: `c.var.principal`);
 * `{ header, trusted: true }` (a header that a gateway in front sets or verifies, falling back to the IP when
 * absent); or a function returning the key, where `undefined` exempts the request from this limiter. A header the
 * client chooses freely is refused at setup: every guessed API key would get a budget of its own.
 *
 * @example
 * ```ts
 * app.use("/api/*", rateLimit({ name: "per-ip", limit: 300, windowSeconds: 60 })); // limits key guessing
 * app.use("/api/*", apiKeyAuth({ keys }), rateLimit({ name: "per-key", limit: 100, windowSeconds: 60, key: "principal" }));
 * ```
 */
export type RateLimitKey<E extends Env = Env> =
  | "ip"
  | "principal"
  | { header: string; trusted: true }
  | ((c: Context<E>) => string | undefined | Promise<string | undefined>);

/**
 * The Cloudflare Workers Rate Limiting binding (`[[ratelimits]]` in wrangler config, `env.<NAME>.limit({ key })`).
 *
 * @example
 * ```ts
 * type Env = { Bindings: { API_LIMITER: RateLimitBinding } };
 * ```
 */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * Options of {@link rateLimit}.
 *
 * @example
 * ```ts
 * rateLimit({ limit: 100, windowSeconds: 60, algorithm: "sliding", key: "principal", store: "db" });
 * ```
 */
export interface RateLimitOptions<E extends Env = Env> {
  /** Requests allowed per window and client (a whole number ≥ 1). */
  limit: number;
  /** Window length in whole seconds (10 or 60 with a Cloudflare binding, which only supports those). */
  windowSeconds: number;
  /** Default `"sliding"`. */
  algorithm?: RateLimitAlgorithm;
  /** Default `"ip"`. */
  key?: RateLimitKey<E>;
  /** Where counts live when no `binding` is present: `"db"` (libSQL, exact) or `"kv"` (approximate). Default `"db"`. */
  store?: "db" | "kv";
  /** Name of a Cloudflare Rate Limiting binding on `c.env`, used instead of `store` where present (on Workers). */
  binding?: string;
  /** Limiters with the same name share counters. Default `<algorithm>-<limit>-<windowSeconds>s`. */
  name?: string;
  /** Passed to {@link clientIp} for the `"ip"` key. */
  trustedProxies?: number;
  /** Passed to {@link clientIp} for the `"ip"` key. Default 64. */
  ipv6Prefix?: number;
  /** The clock, in ms since the epoch; for tests. Default `Date.now`. */
  now?: () => number;
}

const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** @internal Options with defaults applied. */
export type Resolved<E extends Env> = Required<Omit<RateLimitOptions<E>, "binding" | "trustedProxies">> & {
  binding: string | undefined;
  trustedProxies: number;
};

/** @internal Validates options once, at setup; a bad one throws naming it. */
export function resolve<E extends Env>(options: RateLimitOptions<E>): Resolved<E> {
  if (typeof options !== "object" || options === null)
    throw new TypeError("[skiff] rateLimit: options { limit, windowSeconds } are required");
  const {
    limit,
    windowSeconds,
    algorithm = "sliding",
    key = "ip",
    store = "db",
    binding,
    trustedProxies = 0,
    ipv6Prefix = 64,
    now = Date.now,
  } = options;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new TypeError(`[skiff] rateLimit: limit must be a whole number ≥ 1 (got ${limit})`);
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 1) {
    throw new TypeError(
      `[skiff] rateLimit: windowSeconds must be a whole number of seconds ≥ 1 (got ${windowSeconds})`,
    );
  }
  if (algorithm !== "fixed" && algorithm !== "sliding")
    throw new TypeError(
      `[skiff] rateLimit: algorithm must be "fixed" or "sliding" (got ${JSON.stringify(algorithm)})`,
    );
  if (store !== "db" && store !== "kv")
    throw new TypeError(`[skiff] rateLimit: store must be "db" or "kv" (got ${JSON.stringify(store)})`);
  const header = typeof key === "object" && key !== null ? (key as { header?: unknown }).header : undefined;
  const validKey =
    key === "ip" ||
    key === "principal" ||
    typeof key === "function" ||
    (typeof header === "string" && HEADER_NAME.test(header));
  if (!validKey)
    throw new TypeError(
      `[skiff] rateLimit: key must be "ip", "principal", { header: "<header name>", trusted: true } or a function (got ${JSON.stringify(key)})`,
    );
  if (typeof key === "object" && (key as { trusted?: unknown }).trusted !== true)
    throw new TypeError(
      `[skiff] rateLimit: key { header: ${JSON.stringify(header)} } gives every value a client sends its own budget, so guessing API keys is never limited. ` +
        'Before auth, key by "ip"; after apiKeyAuth()/jwtAuth(), use key: "principal". ' +
        "Add trusted: true only if a gateway in front sets or verifies this header.",
    );
  if (binding !== undefined) {
    if (typeof binding !== "string" || binding.length === 0)
      throw new TypeError("[skiff] rateLimit: binding must be the name of a binding on c.env");
    if (windowSeconds !== 10 && windowSeconds !== 60) {
      throw new TypeError(
        `[skiff] rateLimit: windowSeconds must be 10 or 60 with a Cloudflare Rate Limiting binding, its only periods (got ${windowSeconds})`,
      );
    }
  }
  if (!Number.isSafeInteger(trustedProxies) || trustedProxies < 0)
    throw new TypeError(
      `[skiff] rateLimit: trustedProxies must be a whole number ≥ 0 (got ${trustedProxies})`,
    );
  if (!Number.isSafeInteger(ipv6Prefix) || ipv6Prefix < 0 || ipv6Prefix > 128)
    throw new TypeError(`[skiff] rateLimit: ipv6Prefix must be 0 to 128 (got ${ipv6Prefix})`);
  if (typeof now !== "function")
    throw new TypeError("[skiff] rateLimit: now must be a function returning ms since the epoch");
  const name = options.name ?? `${algorithm}-${limit}-${windowSeconds}s`;
  if (typeof name !== "string" || !NAME.test(name))
    throw new TypeError(
      `[skiff] rateLimit: name must be 1 to 64 of A-Z a-z 0-9 _ . : - (got ${JSON.stringify(name)})`,
    );
  return { limit, windowSeconds, algorithm, key, store, binding, trustedProxies, ipv6Prefix, now, name };
}

// Prefixed by kind, so an API key can never collide with an IP or a custom key; "ip:" alone means unknown.
/** @internal The request's client key, or undefined when exempt. */
export async function clientKey<E extends Env>(c: Context<E>, o: Resolved<E>): Promise<string | undefined> {
  const ip = () => `ip:${clientIp(c, { trustedProxies: o.trustedProxies, ipv6Prefix: o.ipv6Prefix }) ?? ""}`;
  if (o.key === "ip") return ip();
  if (o.key === "principal") {
    const principal = principalIdentity(c);
    // Thrown (a 500): falling back to the IP would hide a limiter registered before its auth middleware.
    if (principal === undefined)
      throw new TypeError(
        `[skiff] rateLimit "${o.name}": key "principal" needs jwtAuth() or apiKeyAuth() registered before it on this route`,
      );
    return `pr:${principal}`;
  }
  if (typeof o.key === "function") {
    const key = await o.key(c);
    return key === undefined || key === "" ? undefined : `fn:${key}`;
  }
  const apiKey = c.req.header(o.key.header);
  return apiKey ? `key:${apiKey}` : ip();
}
