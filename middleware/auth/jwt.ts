import type { MiddlewareHandler } from "hono";
import { type JWTPayload, errors, jwtVerify } from "jose";
import {
  authFailure,
  checkRealm,
  checkScopes,
  hasScopes,
  rememberChallenge,
  type Challenge,
} from "./_challenge.js";
import { type JwtAlgorithm, type JwtKeyOptions, KNOWN_ALGORITHMS, resolveKey } from "./jwt-keys.js";
import type { AuthVariables, JwtPrincipal } from "./principal.js";
import { withOpenApi } from "../../src/openapi/_meta.js";

/**
 * Options of {@link jwtAuth}: one key source, an explicit algorithm allow-list, and the claims to insist on.
 *
 * @example
 * ```ts
 * const options: JwtAuthOptions = { secret: env.JWT_SECRET, algorithms: ["HS256"], audience: "shop-api" };
 * ```
 */
export interface JwtAuthOptions extends JwtKeyOptions {
  /** The only algorithms accepted. Required: trusting the token's own `alg` is how `alg: none` attacks work. */
  algorithms: readonly JwtAlgorithm[];
  /** Expected `iss` (one of). */
  issuer?: string | readonly string[];
  /** Expected `aud` (one of). */
  audience?: string | readonly string[];
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. Default 30, at most 300. */
  clockToleranceSeconds?: number;
  /** Scopes every token must carry (403 `insufficient_scope` otherwise). */
  requiredScopes?: readonly string[];
  /** `realm` of the `WWW-Authenticate` challenge. Default `"api"`. */
  realm?: string;
}

// Failures the token is responsible for: reported as `invalid_token`. Any other error (JWKS endpoint down or
// malformed, a key that cannot be imported) is the server's problem and surfaces as a 500, not as a 401 that
// would send clients off to refresh a token that is fine.
const TOKEN_ERRORS: ReadonlySet<string> = new Set([
  errors.JWTClaimValidationFailed.code,
  errors.JWTExpired.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWSSignatureVerificationFailed.code,
]);
// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token (the scheme is case-insensitive, RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const checkStrings = (option: string, value: unknown): string[] | undefined => {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string" && v !== "")) {
    throw new TypeError(`[skiff] jwtAuth: ${option} must be a non-empty string or array of strings`);
  }
  return list;
};

const scopesOf = (claims: JWTPayload): string[] => {
  const scopes = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === "string") for (const s of value.split(" ")) if (s) scopes.add(s);
  };
  add(claims["scope"]);
  const scp = claims["scp"];
  if (Array.isArray(scp)) scp.forEach(add);
  else add(scp);
  return [...scopes];
};

/**
 * Authenticates requests carrying `Authorization: Bearer <JWT>`, verified with jose against a shared `secret`
 * (HS*), a `publicKey` (CryptoKey, public JWK or PEM SPKI) or a `jwksUrl` (cached by jose). Only the configured
 * `algorithms` are accepted, and keys are checked against them at setup (type, curve, hash and size, for PEM keys
 * as for JWKs and CryptoKeys), so `alg: none` and HS/RS confusion cannot pass and no token can pick an algorithm
 * its key cannot run: every token problem is a 401, never a 500. Tokens must carry `exp` and a string `sub`; `exp`/`nbf` are checked with `clockToleranceSeconds` of
 * skew. On success `c.var.principal` is `{ type: "jwt", subject, scopes, claims }`. No credentials: 401 with a
 * bare `Bearer realm` challenge; a malformed header: 400 `invalid_request`; a bad token: 401 `invalid_token`;
 * missing `requiredScopes`: 403 `insufficient_scope`. Responses never say more than those RFC 6750 codes.
 *
 * @example
 * ```ts
 * app.use("/api/*", jwtAuth({
 *   jwksUrl: "https://auth.example.com/.well-known/jwks.json",
 *   algorithms: ["RS256"],
 *   issuer: "https://auth.example.com/",
 *   audience: "shop-api",
 * }));
 * app.get("/api/me", (c) => c.json({ sub: c.var.principal.subject }));
 * ```
 */
export const jwtAuth = (options: JwtAuthOptions): MiddlewareHandler<{ Variables: AuthVariables }> => {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("[skiff] jwtAuth: options are required");
  }
  const algorithms = options.algorithms as unknown;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('[skiff] jwtAuth: algorithms is required (an explicit allow-list such as ["RS256"])');
  }
  for (const alg of algorithms) {
    if (typeof alg === "string" && alg.toLowerCase() === "none") {
      throw new TypeError('[skiff] jwtAuth: algorithms must not include "none" (unsigned tokens)');
    }
    if (typeof alg !== "string" || !KNOWN_ALGORITHMS.has(alg)) {
      throw new TypeError(`[skiff] jwtAuth: algorithms contains unsupported ${JSON.stringify(alg)}`);
    }
  }
  const allowed = [...new Set(algorithms as JwtAlgorithm[])];
  const key = resolveKey(options, allowed);
  const tolerance = options.clockToleranceSeconds ?? 30;
  if (typeof tolerance !== "number" || !Number.isFinite(tolerance) || tolerance < 0 || tolerance > 300) {
    throw new TypeError("[skiff] jwtAuth: clockToleranceSeconds must be a number of seconds from 0 to 300");
  }
  const issuer = checkStrings("issuer", options.issuer);
  const audience = checkStrings("audience", options.audience);
  const required = checkScopes("jwtAuth", "requiredScopes", options.requiredScopes ?? []);
  const challenge: Challenge = { scheme: "Bearer", realm: checkRealm("jwtAuth", options.realm ?? "api") };
  const verifyOptions = {
    algorithms: allowed,
    clockTolerance: tolerance,
    requiredClaims: ["exp", "sub"],
    ...(issuer && { issuer }),
    ...(audience && { audience }),
  };

  const middleware: MiddlewareHandler<{ Variables: AuthVariables }> = async function jwtAuth(c, next) {
    const header = c.req.header("authorization");
    if (header === undefined || !/^bearer(?: |$)/i.test(header)) throw authFailure(challenge);
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw authFailure(challenge, "invalid_request");

    let claims: JWTPayload;
    try {
      // The overloads differ only in the key's type; `key` is one of them, resolved once at setup.
      ({ payload: claims } = await jwtVerify(token, key as Parameters<typeof jwtVerify>[1], verifyOptions));
    } catch (error) {
      if (error instanceof errors.JOSEError && TOKEN_ERRORS.has(error.code)) {
        throw authFailure(challenge, "invalid_token");
      }
      if (error instanceof Error && error.message.startsWith("[skiff]")) throw error;
      throw new Error("[skiff] jwtAuth: could not verify tokens (JWKS endpoint or key unusable)", {
        cause: error,
      });
    }
    if (typeof claims.sub !== "string" || claims.sub === "") throw authFailure(challenge, "invalid_token");

    const principal: JwtPrincipal = { type: "jwt", subject: claims.sub, scopes: scopesOf(claims), claims };
    rememberChallenge(principal, challenge);
    c.set("principal", principal);
    if (!hasScopes(principal.scopes, required)) throw authFailure(challenge, "insufficient_scope", required);
    await next();
  };
  // What the OpenAPI document says of every route behind this middleware (src/openapi).
  return withOpenApi(middleware, {
    kind: "security",
    name: "bearer",
    scheme: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
  });
};
