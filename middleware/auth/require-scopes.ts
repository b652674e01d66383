import type { MiddlewareHandler } from "hono";
import { authFailure, challengeFor, checkScopes, hasScopes } from "./_challenge.js";
import type { AuthVariables } from "./principal.js";

/**
 * Lets a request through only when `c.var.principal` holds every one of `scopes`; otherwise a 403 problem with
 * `WWW-Authenticate: <scheme> error="insufficient_scope", scope="..."` in the scheme that authenticated the caller.
 * It must run after {@link jwtAuth} or {@link apiKeyAuth}: with no principal it throws a `[skiff]` error (a 500),
 * because that is a wiring mistake, and it fails closed.
 *
 * @example
 * ```ts
 * app.delete("/api/orders/:id", jwtAuth(options), requireScopes("orders:write"), (c) => c.body(null, 204));
 * ```
 */
export const requireScopes = (...scopes: string[]): MiddlewareHandler<{ Variables: AuthVariables }> => {
  if (scopes.length === 0) throw new TypeError("[skiff] requireScopes: name at least one scope");
  const required = checkScopes("requireScopes", "scopes", scopes);

  return async function requireScopes(c, next) {
    const principal = c.get("principal") as AuthVariables["principal"] | undefined;
    if (principal === undefined) {
      throw new Error(
        "[skiff] requireScopes: no principal on the context; register jwtAuth() or apiKeyAuth() first",
      );
    }
    if (!hasScopes(principal.scopes, required)) {
      throw authFailure(challengeFor(principal), "insufficient_scope", required);
    }
    await next();
  };
};
