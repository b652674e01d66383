// API Gateway invocations that look like HTTP requests but are not: authorizers and WebSocket routes. Internal:
// used by detect.ts (so they are never served) and by the Lambda event table (so the refusal names them).

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * @internal A kind of API Gateway invocation skiff never serves as a request: its name and the fields that tell
 * it apart (never a value the caller chose), and what to do instead.
 *
 * @example
 * ```ts
 * const kind: NotHttpKind = { name: "an API Gateway REST TOKEN authorizer invocation", evidence: 'type "TOKEN", methodArn', advice: "..." };
 * ```
 */
export interface NotHttpKind {
  name: string;
  evidence: string;
  advice: string;
}

const AUTHORIZER_ADVICE =
  "an authorizer must answer with an IAM policy or { isAuthorized }, never an HTTP response: give the authorizer its own function";
const WEBSOCKET_ADVICE =
  "skiff serves HTTP only: handle a WebSocket API in its own function (or run the app on Node, where @hono/node-ws attaches to serve()'s server)";

// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
const WEBSOCKET_EVENTS: Readonly<Record<string, string>> = {
  CONNECT: "an API Gateway WebSocket $connect event",
  DISCONNECT: "an API Gateway WebSocket $disconnect event",
  MESSAGE: "an API Gateway WebSocket message",
};

/**
 * @internal The authorizer or WebSocket kind of an API Gateway event, or `undefined` for anything else. Authorizer
 * inputs follow https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 * (REST: `type` TOKEN or REQUEST with `methodArn`) and
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html (HTTP API: payload
 * 1.0 adds `version: "1.0"` and `identitySource`, payload 2.0 has `routeArn`). A REQUEST authorizer carries
 * `httpMethod`, `path` and a `requestContext`, and a 2.0 one `rawPath`: without this check they pass for requests.
 *
 * @example
 * ```ts
 * apiGatewayNotHttp({ type: "TOKEN", authorizationToken: "t", methodArn: "arn:aws:execute-api:..." })?.name
 * // "an API Gateway REST TOKEN authorizer invocation"
 * ```
 */
export function apiGatewayNotHttp(event: unknown): NotHttpKind | undefined {
  if (!isRecord(event)) return undefined;
  const context = isRecord(event.requestContext) ? event.requestContext : undefined;
  const type = event.type;
  if (type === "TOKEN" && typeof event.methodArn === "string") {
    return {
      name: "an API Gateway REST TOKEN authorizer invocation",
      evidence: 'type "TOKEN", methodArn',
      advice: AUTHORIZER_ADVICE,
    };
  }
  if (type === "REQUEST" && typeof event.routeArn === "string") {
    return {
      name: "an API Gateway HTTP API authorizer invocation, payload format 2.0",
      evidence: 'type "REQUEST", routeArn',
      advice: AUTHORIZER_ADVICE,
    };
  }
  if (type === "REQUEST" && typeof event.methodArn === "string") {
    if (typeof context?.connectionId === "string") {
      return {
        name: "an API Gateway WebSocket authorizer invocation",
        evidence: 'type "REQUEST", methodArn, requestContext.connectionId',
        advice: AUTHORIZER_ADVICE,
      };
    }
    if (event.version === "1.0") {
      return {
        name: "an API Gateway HTTP API authorizer invocation, payload format 1.0",
        evidence: 'type "REQUEST", version "1.0", methodArn',
        advice: AUTHORIZER_ADVICE,
      };
    }
    return {
      name: "an API Gateway REST REQUEST authorizer invocation",
      evidence: 'type "REQUEST", methodArn',
      advice: AUTHORIZER_ADVICE,
    };
  }
  const eventType = context?.eventType;
  if (typeof context?.connectionId === "string" && typeof eventType === "string") {
    const name = WEBSOCKET_EVENTS[eventType];
    return name === undefined
      ? {
          name: "an API Gateway WebSocket event",
          evidence: "requestContext.connectionId",
          advice: WEBSOCKET_ADVICE,
        }
      : { name, evidence: `requestContext.eventType "${eventType}"`, advice: WEBSOCKET_ADVICE };
  }
  return undefined;
}
