// The request URL: origin from headers, path and query from the event. Internal: used by to-request.ts only.

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const firstOf = (value: string | null): string | undefined => value?.split(",")[0]?.trim() || undefined;

/**
 * @internal `scheme://host` for the request. The scheme is `x-forwarded-proto` (API Gateway and ALB set it; ALB may say
 * "http") and defaults to https. The host is `host`, else `x-forwarded-host`, else `requestContext.domainName`;
 * a candidate that is not a plain host[:port] is skipped so a crafted header cannot move the path or userinfo.
 */
export function origin(headers: Headers, domainName: string | undefined): string {
  const proto = firstOf(headers.get("x-forwarded-proto"))?.toLowerCase();
  const scheme = proto === "http" ? "http" : "https";
  const candidates = [firstOf(headers.get("host")), firstOf(headers.get("x-forwarded-host")), domainName];
  const host = candidates.find((candidate) => candidate !== undefined && HOST.test(candidate)) ?? "localhost";
  return `${scheme}://${host}`;
}

/**
 * @internal Keep a path's percent-encoding exactly as sent (`/files/a%20b` stays so). Only what the URL parser would
 * otherwise misread is escaped: `?` and `#` (they would cut the path), `\` (read as `/`), spaces and controls
 * (stripped or dropped), and a `%` not followed by two hex digits. REST `path`, Function URL and ALB paths arrive
 * encoded and pass untouched; a path handed over decoded becomes safe instead of injecting a query. Non-ASCII is
 * left to the URL parser, which percent-encodes it as UTF-8 like any HTTP client.
 */
export function encodedPath(path: string): string {
  const escaped = path.replace(/[\u0000-\u0020\u007f?#\\]|%(?![0-9A-Fa-f]{2})/g, percentEncode);
  return escaped.startsWith("/") ? escaped : `/${escaped}`;
}

/** @internal Remove `prefix` from `path` when it is a whole leading segment run: "/api" strips "/api/x" and "/api", not "/apis". */
export function stripPrefix(path: string, prefix: string | undefined): string {
  const normal = prefix?.replace(/^\/*/, "/").replace(/\/+$/, "");
  if (!normal || normal === "/") return path;
  if (path === normal) return "/";
  return path.startsWith(`${normal}/`) ? path.slice(normal.length) : path;
}

/**
 * @internal REST query: API Gateway hands over decoded keys and values, so each is re-encoded with `encodeURIComponent`
 * (`a=1 2` becomes `a=1%202`, `x=a&b` becomes `x=a%26b`). Repeated keys come from `multiValueQueryStringParameters`,
 * which is preferred; `queryStringParameters` keeps only the last value of a key.
 */
export function encodedQuery(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): string {
  return pairs(multi, single)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join("&");
}

/**
 * @internal ALB query: the load balancer does not decode keys or values
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html#receive-event-from-load-balancer),
 * so they are joined as they came; encoding them again would double-encode `%20` into `%2520`.
 */
export function rawQuery(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): string {
  return safeQuery(
    pairs(multi, single)
      .map(([key, value]) => `${key}=${value}`)
      .join("&"),
  );
}

/** @internal A raw query string kept as sent, except that `#` (never literal in a query) must not start a fragment. */
export function safeQuery(query: string | undefined): string {
  return (query ?? "").replace(/#/g, "%23");
}

function pairs(
  multi: Record<string, string[] | undefined> | null | undefined,
  single: Record<string, string | undefined> | null | undefined,
): Array<[string, string]> {
  if (multi)
    return Object.entries(multi).flatMap(([key, values]) =>
      (values ?? []).map((v): [string, string] => [key, v]),
    );
  return Object.entries(single ?? {}).flatMap(([key, value]): Array<[string, string]> =>
    value === undefined ? [] : [[key, value]],
  );
}

/** `encodeURIComponent` that cannot throw: a lone surrogate (possible in JSON) becomes U+FFFD first. */
function percentEncode(text: string): string {
  return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/gu, "\uFFFD"));
}
