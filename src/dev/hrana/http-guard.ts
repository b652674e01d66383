// Who may talk to the local endpoint. A token-less development database must not be reachable from web pages: a
// page can POST `text/plain` cross-site without a preflight, and DNS rebinding can point a page's own host name at
// 127.0.0.1. So a POST must say JSON (which a page cannot send cross-site without a CORS preflight), a request must
// name this server in `Host`, and a browser's `Origin` must be one the options allow.

const JSON_TYPE = { "content-type": "application/json" }; // exactly this: the client parses errors only when it matches

/**
 * A JSON response with `{ message, code }` bodies for errors, as `@libsql/hrana-client` reads them.
 *
 * @example
 * ```ts
 * return jsonResponse(404, { message: "[skiff] no such endpoint", code: "NOT_FOUND" });
 * ```
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_TYPE, ...headers } });
}

/**
 * The resolved access rules: host names accepted in `Host` (besides loopback names; `*` accepts any) and browser
 * origins accepted in `Origin` (`*` accepts any).
 *
 * @example
 * ```ts
 * const rules: AccessRules = { hosts: ["devbox.local"], origins: ["http://localhost:5173"] };
 * ```
 */
export interface AccessRules {
  hosts: readonly string[];
  origins: readonly string[];
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|0:0:0:0:0:0:0:1)$/;

/**
 * Whether a host name or address (no port, no brackets) is a loopback one.
 *
 * @example
 * ```ts
 * isLoopback("127.0.0.1") // true
 * ```
 */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.toLowerCase().replace(/\.$/, ""));
}

/** `Host` without its port, brackets or trailing dot, lower-cased; undefined when it cannot be read. */
function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const match = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value) ?? /^([^:[\]\s/@]+)(?::\d+)?$/.exec(value);
  return match?.[1]?.replace(/\.$/, "");
}

/**
 * The refusal for a request from a foreign `Host` (421) or a browser origin not allowed (403), or undefined.
 *
 * @example
 * ```ts
 * const refused = refuseForeign(request, rules); if (refused) return refused;
 * ```
 */
export function refuseForeign(request: Request, rules: AccessRules): Response | undefined {
  const header = request.headers.get("host") ?? new URL(request.url).host;
  const host = hostName(header);
  const hostAllowed =
    host !== undefined && (isLoopback(host) || rules.hosts.includes("*") || rules.hosts.includes(host));
  if (!hostAllowed) {
    const message = `[skiff] the local libSQL server does not answer for Host ${JSON.stringify(header)}: use 127.0.0.1 or localhost, or add the name to allowedHosts`;
    return jsonResponse(421, { message, code: "HOST_NOT_ALLOWED" });
  }
  const origin = request.headers.get("origin");
  if (origin !== null && !originAllowed(origin, rules)) {
    const message = `[skiff] requests from the browser origin ${JSON.stringify(origin)} are refused; list it in allowedOrigins to let that page use this database`;
    return jsonResponse(403, { message, code: "ORIGIN_NOT_ALLOWED" });
  }
  return undefined;
}

function originAllowed(origin: string, rules: AccessRules): boolean {
  return rules.origins.includes("*") || rules.origins.includes(origin.replace(/\/$/, ""));
}

/**
 * CORS headers for an allowed browser origin (none without `Origin`).
 *
 * @example
 * ```ts
 * for (const [name, value] of Object.entries(corsHeaders(request))) response.headers.set(name, value);
 * ```
 */
export function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("origin");
  return origin === null ? {} : { "access-control-allow-origin": origin, vary: "Origin" };
}

/**
 * The answer (204) to a CORS preflight from an allowed origin: POST with `authorization` and `content-type`.
 *
 * @example
 * ```ts
 * if (request.method === "OPTIONS" && request.headers.has("origin")) return preflight(request);
 * ```
 */
export function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(request),
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "authorization, content-type",
      "access-control-max-age": "600",
    },
  });
}

/**
 * The refusal (415) of a POST body that is not declared as JSON, or undefined.
 *
 * @example
 * ```ts
 * const refused = refuseNonJson(request); if (refused) return refused;
 * ```
 */
export function refuseNonJson(request: Request): Response | undefined {
  const type = request.headers.get("content-type") ?? "";
  if (/^application\/json\s*(;|$)/i.test(type.trim())) return undefined;
  const message = `[skiff] send the request body as JSON with content-type: application/json (got ${type ? JSON.stringify(type) : "none"})`;
  return jsonResponse(415, { message, code: "UNSUPPORTED_MEDIA_TYPE" }, { accept: "application/json" });
}
