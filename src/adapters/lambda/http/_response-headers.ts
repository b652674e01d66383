// Response headers as Lambda results carry them. Internal: used by to-result.ts and the response stream.

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, the one between the app and skiff, which does not
// exist on Lambda: API Gateway, ALB and Function URLs frame the response themselves, and a `transfer-encoding:
// chunked` or `connection: keep-alive` passed on (Hono's streamSSE sets both) would describe a framing the client
// never gets.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * @internal The headers of `response` for a Lambda result: one string per name (as `Headers` joins them), without
 * Set-Cookie, which comes apart in `cookies` (joining cookies with ", " breaks any carrying an Expires date), and
 * without hop-by-hop headers, including any that `Connection` names.
 *
 * @example
 * ```ts
 * const { headers, cookies } = resultHeaders(response); // no "transfer-encoding", no "connection"
 * ```
 */
export function resultHeaders(response: Response): { headers: Record<string, string>; cookies: string[] } {
  const named = (response.headers.get("connection") ?? "")
    .split(",")
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && !HOP_BY_HOP.has(name) && !named.includes(name)) headers[name] = value;
  });
  return { headers, cookies: response.headers.getSetCookie() };
}
