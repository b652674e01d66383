/**
 * Minimal shapes of the Lambda HTTP events and results skiff translates (our own interfaces, so no
 * `@types/aws-lambda` dependency). Only the fields the adapter reads or writes are named; the rest of each event
 * is kept as `unknown` so real events (see test/fixtures/aws-lambda-events) assign without casts.
 */

/** A string map as AWS sends it: keys may be present with no value, and the whole map may be `null`. */
type StringMap = Record<string, string | undefined>;
/** A multi-value map as AWS sends it (REST API and ALB multi-value mode). */
type MultiValueMap = Record<string, string[] | undefined>;

/**
 * The three HTTP event sources skiff serves from Lambda, as returned by `detectHttpEvent`.
 *
 * `"apigw-v1"` is API Gateway REST (and HTTP API payload format 1.0), `"apigw-v2"` is HTTP API payload format 2.0
 * and Lambda Function URLs, `"alb"` is an Application Load Balancer target group.
 *
 * @example
 * ```ts
 * const kind: HttpEventKind | undefined = detectHttpEvent(event);
 * if (kind === "alb") console.log("behind a load balancer");
 * ```
 */
export type HttpEventKind = "apigw-v1" | "apigw-v2" | "alb";

/**
 * API Gateway REST proxy event (payload format 1.0), following
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format.
 * Query values arrive URL-decoded; `path` excludes the stage on execute-api URLs but includes the base path on a
 * custom domain with a base-path mapping.
 *
 * @example
 * ```ts
 * const event: ApiGatewayV1Event = {
 *   httpMethod: "GET", path: "/hello", headers: { Host: "api.example.com" },
 *   requestContext: { stage: "prod" }, body: null, isBase64Encoded: false,
 * };
 * ```
 */
export interface ApiGatewayV1Event {
  version?: string;
  resource?: string;
  httpMethod: string;
  path: string;
  headers?: StringMap | null;
  multiValueHeaders?: MultiValueMap | null;
  queryStringParameters?: StringMap | null;
  multiValueQueryStringParameters?: MultiValueMap | null;
  pathParameters?: StringMap | null;
  stageVariables?: StringMap | null;
  requestContext: {
    path?: string;
    stage?: string;
    domainName?: string;
    requestId?: string;
    [field: string]: unknown;
  };
  body?: string | null;
  isBase64Encoded?: boolean;
}

/**
 * HTTP API (payload format 2.0) and Lambda Function URL event, following
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html and
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html. Cookies come in `cookies[]`, duplicate
 * headers arrive comma-joined, and `rawQueryString` is the query exactly as sent.
 *
 * @example
 * ```ts
 * const event: ApiGatewayV2Event = {
 *   version: "2.0", rawPath: "/hello", rawQueryString: "a=1", cookies: ["s=1"], headers: { host: "x.on.aws" },
 *   requestContext: { http: { method: "GET" } }, isBase64Encoded: false,
 * };
 * ```
 */
export interface ApiGatewayV2Event {
  version: string;
  routeKey?: string;
  rawPath: string;
  rawQueryString?: string;
  cookies?: string[];
  headers?: StringMap;
  queryStringParameters?: StringMap;
  pathParameters?: StringMap;
  stageVariables?: StringMap;
  requestContext: {
    domainName?: string;
    stage?: string;
    requestId?: string;
    http: { method: string; path?: string; [field: string]: unknown };
    [field: string]: unknown;
  };
  body?: string;
  isBase64Encoded: boolean;
}

/**
 * Application Load Balancer target event, following
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html. Exactly one of
 * `headers` or `multiValueHeaders` is set (multi-value mode is a target-group attribute), and query values are
 * passed as the client sent them, not decoded.
 *
 * @example
 * ```ts
 * const event: AlbEvent = {
 *   requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:..." } },
 *   httpMethod: "GET", path: "/", headers: { host: "lb.example.com" }, body: "", isBase64Encoded: false,
 * };
 * ```
 */
export interface AlbEvent {
  requestContext: { elb: { targetGroupArn: string } };
  httpMethod: string;
  path: string;
  headers?: StringMap;
  multiValueHeaders?: MultiValueMap;
  queryStringParameters?: StringMap;
  multiValueQueryStringParameters?: MultiValueMap;
  body?: string | null;
  isBase64Encoded: boolean;
}

/**
 * Result for API Gateway REST (payload 1.0). Every header is in `multiValueHeaders` (so each Set-Cookie survives);
 * `headers` repeats the single-valued ones without Set-Cookie, which API Gateway de-duplicates against
 * `multiValueHeaders` (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format).
 *
 * @example
 * ```ts
 * const result: ApiGatewayV1Result = {
 *   statusCode: 200, headers: { "content-type": "text/plain" },
 *   multiValueHeaders: { "content-type": ["text/plain"], "set-cookie": ["a=1", "b=2"] },
 *   body: "ok", isBase64Encoded: false,
 * };
 * ```
 */
export interface ApiGatewayV1Result {
  statusCode: number;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Result for HTTP API (payload 2.0) and Function URLs: one entry in `cookies` per Set-Cookie, as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html requires.
 *
 * @example
 * ```ts
 * const result: ApiGatewayV2Result = {
 *   statusCode: 200, headers: { "content-type": "text/plain" }, cookies: ["a=1", "b=2"],
 *   body: "ok", isBase64Encoded: false,
 * };
 * ```
 */
export interface ApiGatewayV2Result {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Result for an ALB target: `multiValueHeaders` when the target group has multi-value headers enabled, otherwise
 * `headers` (the load balancer rejects the other field), plus the `statusDescription` line ALB requires.
 *
 * @example
 * ```ts
 * const result: AlbResult = {
 *   statusCode: 200, statusDescription: "200 OK", headers: { "content-type": "text/plain" },
 *   body: "ok", isBase64Encoded: false,
 * };
 * ```
 */
export interface AlbResult {
  statusCode: number;
  statusDescription: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
}

/**
 * Maps each `HttpEventKind` to its event type, so `toRequest(event, kind)` checks the pair.
 *
 * @example
 * ```ts
 * const event: HttpEventByKind["alb"] = albEvent;
 * ```
 */
export interface HttpEventByKind {
  "apigw-v1": ApiGatewayV1Event;
  "apigw-v2": ApiGatewayV2Event;
  alb: AlbEvent;
}

/**
 * Maps each `HttpEventKind` to its result type, so `toResult(response, kind)` returns the right shape.
 *
 * @example
 * ```ts
 * const result: HttpResultByKind["apigw-v2"] = await toResult(response, "apigw-v2");
 * ```
 */
export interface HttpResultByKind {
  "apigw-v1": ApiGatewayV1Result;
  "apigw-v2": ApiGatewayV2Result;
  alb: AlbResult;
}

/**
 * Any Lambda HTTP event skiff serves.
 *
 * @example
 * ```ts
 * const events: HttpEvent[] = [restEvent, httpApiEvent, albEvent];
 * ```
 */
export type HttpEvent = HttpEventByKind[HttpEventKind];

/**
 * Any Lambda HTTP result skiff returns.
 *
 * @example
 * ```ts
 * const result: HttpResult = await handleHttpEvent(app.fetch, event);
 * ```
 */
export type HttpResult = HttpResultByKind[HttpEventKind];

/**
 * Options for turning an event into a `Request`.
 *
 * `stripStage` removes a leading `/{requestContext.stage}` segment when present (never for `$default`): REST
 * `path` already omits the stage on execute-api URLs, but an HTTP API named stage is part of `rawPath`.
 * `stripBasePath` removes a custom-domain base path (for example `"/api"`) that REST `path` and v2 `rawPath`
 * include when the API is mapped below the domain root
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html). The stage is stripped
 * first, then the base path; both only match whole segments.
 *
 * @example
 * ```ts
 * const request = toRequest(event, "apigw-v1", { stripBasePath: "/api" }); // "/api/users" -> "/users"
 * ```
 */
export interface HttpRequestOptions {
  stripBasePath?: string;
  stripStage?: boolean;
}

/**
 * Options for turning a `Response` into a result. `multiValue` only matters for ALB, which must answer in the mode
 * the request came in (`multiValueHeaders` present on the event means multi-value mode is on).
 *
 * @example
 * ```ts
 * const result = await toResult(response, "alb", { multiValue: event.multiValueHeaders !== undefined });
 * ```
 */
export interface HttpResultOptions {
  multiValue?: boolean;
}
