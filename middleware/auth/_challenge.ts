import type { HTTPException } from "hono/http-exception";
import { problem } from "../_problem.js";
import type { Principal } from "./principal.js";

/**
 * The error codes of RFC 6750 §3.1: the only reasons a rejection may give.
 *
 * @example
 * ```ts
 * const code: AuthErrorCode = "invalid_token";
 * ```
 */
export type AuthErrorCode = "invalid_request" | "invalid_token" | "insufficient_scope";

/**
 * The challenge a rejection carries: `Bearer` for JWTs (RFC 6750), `ApiKey` for API keys.
 *
 * @example
 * ```ts
 * const challenge: Challenge = { scheme: "Bearer", realm: "api" };
 * ```
 */
export interface Challenge {
  scheme: "Bearer" | "ApiKey";
  realm: string;
}

// RFC 9110 quoted-string content, minus `"` and `\` so no escaping is ever needed.
const QUOTABLE = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

/**
 * Checks an option that ends up inside a quoted `WWW-Authenticate` parameter.
 *
 * @example
 * ```ts
 * const realm = checkRealm("jwtAuth", options.realm ?? "api");
 * ```
 */
export const checkRealm = (owner: string, realm: unknown): string => {
  if (typeof realm !== "string" || !QUOTABLE.test(realm)) {
    throw new TypeError(`[skiff] ${owner}: realm must be printable ASCII without '"' or '\\'`);
  }
  return realm;
};

/**
 * Checks a list of scopes given as an option, returning a frozen copy.
 *
 * @example
 * ```ts
 * const required = checkScopes("jwtAuth", "requiredScopes", ["orders:read"]);
 * ```
 */
export const checkScopes = (owner: string, option: string, scopes: unknown): readonly string[] => {
  if (
    !Array.isArray(scopes) ||
    !scopes.every((s): s is string => typeof s === "string" && SCOPE_TOKEN.test(s))
  ) {
    throw new TypeError(`[skiff] ${owner}: ${option} must be an array of scope tokens (no spaces or quotes)`);
  }
  return Object.freeze([...scopes]);
};

const STATUS = { invalid_request: 400, invalid_token: 401, insufficient_scope: 403 } as const;
const TITLE = {
  invalid_request: "Bad Request",
  invalid_token: "Unauthorized",
  insufficient_scope: "Forbidden",
};
// One fixed sentence per code: saying *why* a token failed (bad signature vs wrong audience) helps attackers more
// than clients, so nothing beyond RFC 6750's categories is ever sent.
const DESCRIPTION: Record<Challenge["scheme"], Record<AuthErrorCode, string>> = {
  Bearer: {
    invalid_request: "The Authorization header is not a well-formed Bearer token",
    invalid_token: "The access token is invalid or has expired",
    insufficient_scope: "The access token lacks a required scope",
  },
  ApiKey: {
    invalid_request: "The API key header is malformed",
    invalid_token: "The API key is not valid",
    insufficient_scope: "The API key lacks a required scope",
  },
};

/**
 * The problem thrown for a failed authentication: 401 with only `realm` when no credentials were sent (RFC 6750
 * §3.1 says not to add an error code then), otherwise 400/401/403 by code, with `error`, `error_description` and,
 * for `insufficient_scope`, the `scope` that was needed.
 *
 * @example
 * ```ts
 * throw authFailure({ scheme: "Bearer", realm: "api" }, "insufficient_scope", ["orders:write"]); // 403
 * ```
 */
export const authFailure = (
  challenge: Challenge,
  code?: AuthErrorCode,
  scope?: readonly string[],
): HTTPException => {
  const params = [`realm="${challenge.realm}"`];
  if (code === undefined) {
    const detail =
      challenge.scheme === "Bearer" ? "A Bearer access token is required" : "An API key is required";
    return problem(401, "Unauthorized", detail, undefined, {
      "WWW-Authenticate": `${challenge.scheme} ${params.join(", ")}`,
    });
  }
  const description = DESCRIPTION[challenge.scheme][code];
  params.push(`error="${code}"`, `error_description="${description}"`);
  if (scope && scope.length > 0) params.push(`scope="${scope.join(" ")}"`);
  return problem(STATUS[code], TITLE[code], description, undefined, {
    "WWW-Authenticate": `${challenge.scheme} ${params.join(", ")}`,
  });
};

// Which scheme and realm answered for a principal, so requireScopes() can challenge the same way. Keyed by the
// per-request principal object, so nothing of one request is visible to another.
const challenges = new WeakMap<Principal, Challenge>();

/**
 * Remembers the challenge of the middleware that authenticated `principal`.
 *
 * @example
 * ```ts
 * rememberChallenge(principal, { scheme: "ApiKey", realm: "api" });
 * ```
 */
export const rememberChallenge = (principal: Principal, challenge: Challenge): void => {
  challenges.set(principal, challenge);
};

/**
 * The challenge for `principal`: the one its middleware used, or its type's scheme with the default realm.
 *
 * @example
 * ```ts
 * throw authFailure(challengeFor(c.var.principal), "insufficient_scope", ["admin"]);
 * ```
 */
export const challengeFor = (principal: Principal): Challenge =>
  challenges.get(principal) ?? { scheme: principal.type === "jwt" ? "Bearer" : "ApiKey", realm: "api" };

/**
 * True when every scope in `required` is granted.
 *
 * @example
 * ```ts
 * hasScopes(["a", "b"], ["a"]); // true
 * ```
 */
export const hasScopes = (granted: readonly string[], required: readonly string[]): boolean =>
  required.every((scope) => granted.includes(scope));
