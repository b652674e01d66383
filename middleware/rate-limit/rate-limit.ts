import type { Context, Env, MiddlewareHandler } from "hono";
import type { Logger } from "../../src/logger.js";
import type { SkiffVariables } from "../../src/types.js";
import { problem } from "../_problem.js";
import { background, ensureResponseHeaders, sha256 } from "../_shared.js";
import { clientKey, type RateLimitBinding, type RateLimitOptions, resolve } from "./options.js";
import { countInDatabase, sweepDatabase, type WindowCount } from "./store-db.js";
import { KVCounter } from "./store-kv.js";
import { estimate, retryAfterMs, toSeconds, type WindowPosition, windowPosition } from "./window.js";
import { withOpenApi } from "../../src/openapi/_meta.js";

/** How many clients' counter ids one rateLimit() keeps at once (about 1 MiB). */
const RECENT_CLIENTS = 10_000;

/**
 * What {@link rateLimit} decided for this request, on `c.var.rateLimit`. `remaining` and `resetSeconds` are
 * `undefined` with the Cloudflare binding, which only answers yes or no.
 *
 * @example
 * ```ts
 * app.get("/quota", (c) => c.json({ remaining: c.var.rateLimit.remaining }));
 * ```
 */
export interface RateLimitInfo {
  limit: number;
  remaining: number | undefined;
  resetSeconds: number | undefined;
}

/**
 * Context variables set by {@link rateLimit}.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: RateLimitVariables }>();
 * ```
 */
export interface RateLimitVariables {
  rateLimit: RateLimitInfo;
}

/**
 * Limits each client to `limit` requests per `windowSeconds`, answering `429 Too Many Requests` as
 * `application/problem+json` with `Retry-After`, and sending `RateLimit-Limit`, `RateLimit-Remaining`,
 * `RateLimit-Reset` and `RateLimit-Policy` (IETF draft-ietf-httpapi-ratelimit-headers) on every response.
 *
 * Backends: `store: "db"` (default) counts in libSQL with one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`
 * per request, exact at the boundary under any concurrency and across instances; `store: "kv"` counts in KV,
 * approximately (KV is eventually consistent and takes one write per second per key, so several isolates can each
 * let through up to `limit`); `binding` uses Cloudflare's Rate Limiting binding where the env has it (counters
 * local to each Cloudflare location, no remaining count), falling back to `store` elsewhere. Rejected requests are
 * not counted. Client keys are hashed (SHA-256) before they are stored, so no IP or API key is kept in the clear.
 * If the store fails, the request is let through and the error is logged: a limiter must not become the outage.
 *
 * @example
 * ```ts
 * app.use("/api/*", rateLimit({ limit: 100, windowSeconds: 60 }));                     // per IP, libSQL
 * app.post("/api/login", rateLimit({ name: "login", limit: 5, windowSeconds: 60, algorithm: "fixed" }));
 * // Per IP before auth (so guessing keys is limited), then per verified caller after it:
 * app.use("/api/*", apiKeyAuth({ keys }));
 * app.use("/api/*", rateLimit({ name: "per-key", limit: 1000, windowSeconds: 60, key: "principal", binding: "API_LIMITER" }));
 * ```
 */
export const rateLimit = <E extends Env = Env>(
  options: RateLimitOptions<E>,
): MiddlewareHandler<E & { Variables: RateLimitVariables }> => {
  const o = resolve(options);
  const windowMs = o.windowSeconds * 1000;
  const policy = `${o.limit};w=${o.windowSeconds}`;
  const kvCounter = new KVCounter();
  let nextSweep = 0;
  const warned = new Set<string>();
  // A misconfiguration is reported once per isolate, not on every request.
  const warnOnce = (log: Logger | undefined, msg: string) => {
    if (!warned.has(msg)) (log ?? console).warn(`[skiff] rateLimit "${o.name}": ${msg}`);
    warned.add(msg);
  };

  // The counter for this request. A missing binding is a configuration error and throws (a 500), outside the
  // let-through-on-failure path, so it cannot go unnoticed.
  function counterFor(
    c: Context,
    vars: Partial<SkiffVariables>,
  ): (id: string, pos: WindowPosition, now: number) => Promise<WindowCount> {
    const { db, kv } = vars;
    if (o.store === "db") {
      if (!db)
        throw new TypeError(`[skiff] rateLimit: store "db" needs c.var.db (a skiff app run by an adapter)`);
      // Kept until the end of the next window: the sliding window reads this one as "previous" there.
      return (id, pos) => countInDatabase(db, id, o.limit, pos, (pos.index + 2) * windowMs);
    }
    if (!kv)
      throw new TypeError(`[skiff] rateLimit: store "kv" needs c.var.kv (a skiff app run by an adapter)`);
    return (id, pos, now) =>
      kvCounter.count(kv, `rl:${id}`, o.limit, pos, o.windowSeconds, now, (task) =>
        background(c, task, vars.log, "rateLimit: background write failed"),
      );
  }

  // The counter id of each recent client, so a client's next request costs no digest (WebCrypto's is asynchronous: a
  // round trip to the thread pool per request on Node). Bounded: cleared when full.
  const ids = new Map<string, string>();
  const counterId = async (identity: string): Promise<string> => {
    let id = ids.get(identity);
    if (id === undefined) {
      id = `${o.name}:${await sha256(identity)}`;
      if (ids.size >= RECENT_CLIENTS) ids.clear();
      ids.set(identity, id);
    }
    return id;
  };

  const middleware: MiddlewareHandler<E & { Variables: RateLimitVariables }> = async function rateLimit(
    c,
    next,
  ) {
    const vars = c.var as Partial<SkiffVariables>;
    // Set on every path, exempt and failed ones included, so handlers can always read it.
    c.set("rateLimit", { limit: o.limit, remaining: undefined, resetSeconds: undefined });
    const identity = await clientKey(c as unknown as Context<E>, o);
    if (identity === undefined) return next();
    if (identity === "ip:")
      warnOnce(
        vars.log,
        "the client IP is unknown on this platform, so such requests share one counter; pass a key function",
      );
    const id = await counterId(identity);
    const now = o.now();
    const pos = windowPosition(now, windowMs, o.algorithm);
    const headers: Record<string, string> = {
      "RateLimit-Limit": String(o.limit),
      "RateLimit-Policy": policy,
    };

    const binding =
      o.binding === undefined ? undefined : (c.env as Record<string, unknown> | undefined)?.[o.binding];
    if (o.binding !== undefined && vars.platform === "cloudflare" && !isBinding(binding)) {
      warnOnce(
        vars.log,
        `c.env.${o.binding} is not a Rate Limiting binding; counting in the "${o.store}" store instead`,
      );
    }
    const counter = isBinding(binding) ? undefined : counterFor(c, vars);
    let count: WindowCount | undefined;
    let allowed = true;
    try {
      if (counter) {
        count = await counter(id, pos, now);
        allowed = count.allowed;
      } else if (isBinding(binding)) {
        allowed = (await binding.limit({ key: id })).success;
      }
    } catch (error) {
      (vars.log ?? console).error(
        `[skiff] rateLimit "${o.name}": the ${counter ? o.store : "binding"} failed; the request is let through`,
        { error },
      );
      return next();
    }

    let info: RateLimitInfo;
    if (count) {
      const remaining = Math.max(0, o.limit - estimate(count.previous, count.current, pos.weight));
      const retry = toSeconds(
        retryAfterMs(count.previous, count.current, o.limit, pos, windowMs, o.algorithm),
      );
      const resetSeconds = remaining > 0 ? toSeconds(windowMs - pos.elapsedMs) : retry;
      info = { limit: o.limit, remaining, resetSeconds };
      headers["RateLimit-Remaining"] = String(remaining);
      headers["RateLimit-Reset"] = String(resetSeconds);
      if (!allowed) headers["Retry-After"] = String(retry);
    } else {
      // The binding says only yes or no; a whole window is the longest a client can have to wait.
      info = {
        limit: o.limit,
        remaining: allowed ? undefined : 0,
        resetSeconds: allowed ? undefined : o.windowSeconds,
      };
      if (!allowed)
        Object.assign(headers, {
          "RateLimit-Remaining": "0",
          "RateLimit-Reset": String(o.windowSeconds),
          "Retry-After": String(o.windowSeconds),
        });
    }
    c.set("rateLimit", info);
    if (!allowed) {
      const wait = headers["Retry-After"];
      throw problem(
        429,
        "Too Many Requests",
        `At most ${o.limit} requests per ${o.windowSeconds} s are allowed; retry in ${wait} s`,
        undefined,
        headers,
      );
    }

    if (o.store === "db" && !isBinding(binding) && now >= nextSweep && vars.db) {
      nextSweep = now + Math.max(60_000, windowMs);
      background(c, sweepDatabase(vars.db, now), vars.log, "rateLimit: sweeping expired windows failed");
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    await next();
    ensureResponseHeaders(c, headers);
  };
  // What the OpenAPI document says of every route behind this middleware (src/openapi).
  return withOpenApi(middleware, {
    kind: "describe",
    description: {
      responses: { 429: { description: "Too many requests: retry after the seconds in Retry-After" } },
    },
  });
};

function isBinding(value: unknown): value is RateLimitBinding {
  return typeof (value as Partial<RateLimitBinding> | null | undefined)?.limit === "function";
}
