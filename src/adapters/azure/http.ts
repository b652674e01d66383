import type { Cookie, HttpRequest, HttpResponseInit } from "./types.js";

/**
 * @internal The web `Request` the app sees for an Azure HTTP invocation: the URL the host received (with its
 * `routePrefix`, so the generated host.json sets it to ""), the method, every header and the body as a stream
 * (buffered by the host unless `app.setup({ enableHttpStream: true })` is on, then streamed).
 *
 * @example
 * ```ts
 * const response = await app.fetch(toWebRequest(request), env, ctx);
 * ```
 */
export function toWebRequest(request: HttpRequest): Request {
  const method = request.method.toUpperCase();
  const body = method === "GET" || method === "HEAD" ? null : (request.body as ReadableStream | null);
  return new Request(request.url, {
    method,
    headers: request.headers,
    body,
    ...(body ? { duplex: "half" } : {}),
  } as RequestInit);
}

const SAME_SITE: Readonly<Record<string, Cookie["sameSite"]>> = {
  strict: "Strict",
  lax: "Lax",
  none: "None",
};

/**
 * @internal One `Set-Cookie` value as the `Cookie` the v4 model takes. The host writes response cookies from
 * `cookies[]` only: its header map keeps one value per name, so a second `Set-Cookie` header would be lost.
 *
 * @example
 * ```ts
 * parseSetCookie("sid=abc; Path=/; HttpOnly; SameSite=Lax"); // { name: "sid", value: "abc", path: "/", httpOnly: true, sameSite: "Lax" }
 * ```
 */
export function parseSetCookie(header: string): Cookie {
  const [pair = "", ...attributes] = header.split(";");
  const at = pair.indexOf("=");
  const cookie: Cookie = { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
  for (const attribute of attributes) {
    const eq = attribute.indexOf("=");
    const key = (eq < 0 ? attribute : attribute.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : attribute.slice(eq + 1).trim();
    if (key === "path") cookie.path = value;
    else if (key === "domain") cookie.domain = value;
    else if (key === "secure") cookie.secure = true;
    else if (key === "httponly") cookie.httpOnly = true;
    else if (key === "samesite") cookie.sameSite = SAME_SITE[value.toLowerCase()];
    else if (key === "max-age" && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === "expires" && !Number.isNaN(Date.parse(value))) cookie.expires = new Date(value);
  }
  return cookie;
}

/**
 * @internal The app's `Response` as the v4 model's `HttpResponseInit`: status, headers (Set-Cookie moved to
 * `cookies`), and the body as its stream, which the library buffers, or streams when HTTP streaming is enabled.
 *
 * @example
 * ```ts
 * return toResponseInit(await app.fetch(toWebRequest(request), env, ctx));
 * ```
 */
export function toResponseInit(response: Response): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.delete("set-cookie");
  const cookies = response.headers.getSetCookie().map(parseSetCookie);
  return {
    status: response.status,
    headers: Object.fromEntries(headers),
    ...(cookies.length ? { cookies } : {}),
    body: response.body as HttpResponseInit["body"],
  };
}
