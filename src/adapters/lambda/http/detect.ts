import { apiGatewayNotHttp } from "./_not-http.js";
import type { HttpEventKind } from "./types.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Tell which Lambda HTTP source sent `event`, by shape alone, or `undefined` for anything else (SQS, S3, SNS,
 * schedules, authorizers, WebSockets). ALB is recognised by `requestContext.elb`; payload 2.0 (HTTP API and Function URLs) by
 * `version: "2.0"` together with `rawPath`; REST by `httpMethod` plus a `requestContext`. The v2 test looks only at
 * fields that REST never sends, so a REST event behind a custom-domain base-path mapping (whose `path` and
 * `requestContext.path` differ from an execute-api call) can never pass for v2, and HTTP API payload 1.0
 * (`version: "1.0"`, REST-shaped) is treated as REST. API Gateway authorizer invocations (REST TOKEN and REQUEST,
 * HTTP API payload 1.0 and 2.0) and WebSocket events are not requests, whatever fields they share with one.
 *
 * @example
 * ```ts
 * const kind = detectHttpEvent(event);
 * if (kind === undefined) throw new Error("[skiff] not an HTTP event");
 * ```
 */
export function detectHttpEvent(event: unknown): HttpEventKind | undefined {
  if (!isRecord(event) || !isRecord(event.requestContext)) return undefined;
  // Authorizer inputs and WebSocket routes carry request-like fields, but answering them from a route is wrong.
  if (apiGatewayNotHttp(event) !== undefined) return undefined;
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html#receive-event-from-load-balancer
  if (isRecord(event.requestContext.elb)) return "alb";
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.proxy-format
  if (event.version === "2.0" && typeof event.rawPath === "string") return "apigw-v2";
  if (typeof event.httpMethod === "string") return "apigw-v1";
  return undefined;
}
