// Request headers from the event's header maps. Internal: used by to-request.ts only.

/** RFC 9110 token: the only header names `Headers` accepts. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * @internal Make `value` acceptable to `Headers`, which throws on any character above U+00FF (a ByteString). When the value
 * has such a character we send its UTF-8 bytes one per character (latin1), which is exactly what a Node HTTP
 * server shows for the same bytes on the wire; the app recovers the text with
 * `new TextDecoder().decode(Uint8Array.from(value, (c) => c.charCodeAt(0)))`. Values already within latin1 pass
 * unchanged. NUL, CR and LF cannot occur in a real header line, so they are removed rather than thrown on.
 */
export function toHeaderValue(value: string): string {
  let bytes = value;
  if (/[^\u0000-\u00ff]/.test(value)) {
    bytes = "";
    for (const byte of new TextEncoder().encode(value)) bytes += String.fromCharCode(byte);
  }
  return bytes.replace(/[\0\r\n]/g, "");
}

/**
 * @internal Build `Headers` from a single-value map, a multi-value map, and (v2) a cookie list.
 *
 * REST events carry every header in both `headers` and `multiValueHeaders`; appending both duplicates values
 * ("*\/*, *\/*"), so a name present in `multiValueHeaders` (compared case-insensitively) is taken from there only
 * and `headers` fills in the rest. Cookie headers are joined with "; " (RFC 6265 §5.4), never ", ". A v2 `cookies`
 * list replaces any cookie header, since HTTP API and Function URLs move cookies out of `headers`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 */
export function buildHeaders(
  single: Record<string, string | undefined> | null | undefined,
  multi: Record<string, string[] | undefined> | null | undefined,
  cookies?: readonly string[],
): Headers {
  const headers = new Headers();
  const cookieParts: string[] = [];
  const fromMulti = new Set<string>();
  const add = (name: string, value: string): void => {
    if (!TOKEN.test(name)) return; // AWS never forwards such names; Headers would throw on them.
    if (name.toLowerCase() === "cookie") cookieParts.push(value);
    else headers.append(name, toHeaderValue(value));
  };
  for (const [name, values] of Object.entries(multi ?? {})) {
    if (!Array.isArray(values)) continue;
    fromMulti.add(name.toLowerCase());
    for (const value of values) add(name, value);
  }
  for (const [name, value] of Object.entries(single ?? {})) {
    if (typeof value === "string" && !fromMulti.has(name.toLowerCase())) add(name, value);
  }
  const cookie = cookies !== undefined && cookies.length > 0 ? cookies : cookieParts;
  if (cookie.length > 0) headers.set("cookie", toHeaderValue(cookie.join("; ")));
  return headers;
}
