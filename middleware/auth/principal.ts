import type { JWTPayload } from "jose";

/**
 * Who made the request, as proven by a verified JWT. `subject` is the token's `sub`; `scopes` merges the `scope`
 * (space-delimited, RFC 9068) and `scp` (string or array) claims; `claims` is the whole verified payload.
 *
 * @example
 * ```ts
 * if (c.var.principal.type === "jwt") console.log(c.var.principal.claims.iss);
 * ```
 */
export interface JwtPrincipal {
  type: "jwt";
  subject: string;
  scopes: readonly string[];
  claims: JWTPayload;
}

/**
 * Who made the request, as proven by an API key: `subject` is the matching key's `id` (never the key itself).
 *
 * @example
 * ```ts
 * if (c.var.principal.type === "apiKey") console.log(`called by key ${c.var.principal.subject}`);
 * ```
 */
export interface ApiKeyPrincipal {
  type: "apiKey";
  subject: string;
  scopes: readonly string[];
}

/**
 * The authenticated caller, set by {@link jwtAuth} or {@link apiKeyAuth}; narrow on `type` to reach `claims`.
 *
 * @example
 * ```ts
 * const who = (p: Principal) => `${p.type}:${p.subject}`;
 * ```
 */
export type Principal = JwtPrincipal | ApiKeyPrincipal;

/**
 * Context variables set by the auth middleware: `c.var.principal`.
 *
 * @example
 * ```ts
 * const app = new Hono<{ Variables: AuthVariables }>();
 * app.get("/me", jwtAuth(options), (c) => c.json({ id: c.var.principal.subject }));
 * ```
 */
export interface AuthVariables {
  principal: Principal;
}
