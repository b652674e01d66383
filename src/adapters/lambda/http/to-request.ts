import { requestBody } from "./_body.js";
import { buildHeaders } from "./_headers.js";
import { encodedPath, encodedQuery, origin, rawQuery, safeQuery, stripPrefix } from "./_url.js";
import type {
  AlbEvent,
  ApiGatewayV1Event,
  ApiGatewayV2Event,
  HttpEventByKind,
  HttpEventKind,
  HttpRequestOptions,
} from "./types.js";

interface Parts {
  method: string;
  path: string;
  query: string;
  headers: Headers;
  body: string | null | undefined;
  isBase64Encoded: boolean | undefined;
  stage: string | undefined;
  domainName: string | undefined;
}

/**
 * Turn a Lambda HTTP event into a Web `Request` for any `fetch(request)` (a Hono app, skiff's core, a plain
 * function). The app sees the path the client asked for, percent-encoding intact: REST uses `event.path` (never
 * `requestContext.path`, which adds the stage on execute-api URLs, nor `pathParameters.proxy`, which drops the
 * resource prefix), v2 uses `rawPath`, ALB uses `path`; behind a custom-domain base-path mapping `event.path`
 * includes the base path, so pass `stripBasePath` (and `stripStage` for an HTTP API named stage). Headers merge
 * without duplicates, v2 `cookies[]` become one `Cookie` header, REST query values (decoded by API Gateway) are
 * re-encoded while v2 and ALB queries pass as sent, header values beyond latin1 are sent as their UTF-8 bytes, and
 * GET/HEAD never carry a body.
 *
 * @example
 * ```ts
 * const kind = detectHttpEvent(event);
 * if (kind === "apigw-v1") {
 *   const response = await app.fetch(toRequest(event as ApiGatewayV1Event, kind, { stripBasePath: "/api" }));
 * }
 * ```
 */
export function toRequest<K extends HttpEventKind>(
  event: HttpEventByKind[K],
  kind: K,
  options: HttpRequestOptions = {},
): Request {
  // The generic ties `event` to `kind` for callers; inside, the switch on `kind` names the concrete shape.
  const parts =
    kind === "apigw-v1"
      ? fromRest(event as ApiGatewayV1Event)
      : kind === "apigw-v2"
        ? fromHttpApi(event as ApiGatewayV2Event)
        : fromAlb(event as AlbEvent);
  const stage = parts.stage && parts.stage !== "$default" ? `/${parts.stage}` : undefined;
  const path = stripPrefix(
    options.stripStage ? stripPrefix(parts.path, stage) : parts.path,
    options.stripBasePath,
  );
  const url = `${origin(parts.headers, parts.domainName)}${path}${parts.query ? `?${parts.query}` : ""}`;
  const method = parts.method.toUpperCase();
  const body = requestBody(method, parts.body, parts.isBase64Encoded);
  // The event's content-length describes the client's bytes; state the length of what the app will read.
  if (body) parts.headers.set("content-length", String(body.byteLength));
  return new Request(url, { method, headers: parts.headers, body });
}

function fromRest(event: ApiGatewayV1Event): Parts {
  return {
    method: event.httpMethod,
    path: encodedPath(event.path),
    query: encodedQuery(event.multiValueQueryStringParameters, event.queryStringParameters),
    headers: buildHeaders(event.headers, event.multiValueHeaders),
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    stage: event.requestContext.stage,
    domainName: event.requestContext.domainName,
  };
}

function fromHttpApi(event: ApiGatewayV2Event): Parts {
  return {
    method: event.requestContext.http.method,
    path: encodedPath(event.rawPath),
    query: safeQuery(event.rawQueryString),
    headers: buildHeaders(event.headers, undefined, event.cookies),
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    stage: event.requestContext.stage,
    domainName: event.requestContext.domainName,
  };
}

function fromAlb(event: AlbEvent): Parts {
  return {
    method: event.httpMethod,
    path: encodedPath(event.path),
    query: rawQuery(event.multiValueQueryStringParameters, event.queryStringParameters),
    headers: buildHeaders(event.headers, event.multiValueHeaders),
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    stage: undefined,
    domainName: undefined,
  };
}
