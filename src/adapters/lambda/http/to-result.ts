import { STATUS_CODES } from "node:http";
import { responseBody } from "./_body.js";
import { resultHeaders } from "./_response-headers.js";
import type {
  AlbResult,
  ApiGatewayV1Result,
  ApiGatewayV2Result,
  HttpEventKind,
  HttpResultByKind,
  HttpResultOptions,
} from "./types.js";

/**
 * Turn a Web `Response` into the result Lambda expects for `kind`. REST gets every header in `multiValueHeaders`
 * (each Set-Cookie its own entry) and the others again in `headers`; v2 gets `cookies[]`, one per Set-Cookie
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html); ALB
 * answers in the mode it was asked (`multiValue: true` when the event had `multiValueHeaders`) with a
 * `statusDescription` such as "200 OK". In ALB single-value mode a header holds one value, so only the last
 * Set-Cookie is sent: enable multi-value headers on the target group to send several. Hop-by-hop headers
 * (`transfer-encoding`, `connection` and the like) are dropped: the source frames the response itself. Text types go as text;
 * anything else, and any compressed body, goes as base64 with `isBase64Encoded: true`; an empty body is "".
 *
 * @example
 * ```ts
 * const response = await app.fetch(toRequest(event, "alb"));
 * return toResult(response, "alb", { multiValue: event.multiValueHeaders !== undefined });
 * ```
 */
export async function toResult<K extends HttpEventKind>(
  response: Response,
  kind: K,
  options: HttpResultOptions = {},
): Promise<HttpResultByKind[K]> {
  const { headers, cookies } = resultHeaders(response);
  const multiValueHeaders: Record<string, string[]> = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, [value]]),
  );
  if (cookies.length > 0) multiValueHeaders["set-cookie"] = cookies;
  const { body, isBase64Encoded } = await responseBody(response);
  const statusCode = response.status;

  let result: ApiGatewayV1Result | ApiGatewayV2Result | AlbResult;
  if (kind === "apigw-v1") {
    result = { statusCode, headers, multiValueHeaders, body, isBase64Encoded };
  } else if (kind === "apigw-v2") {
    result = { statusCode, headers, cookies, body, isBase64Encoded };
  } else {
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html#respond-to-load-balancer
    const statusDescription = `${statusCode} ${response.statusText || STATUS_CODES[statusCode] || "Unknown"}`;
    const last = cookies.at(-1);
    result = options.multiValue
      ? { statusCode, statusDescription, multiValueHeaders, body, isBase64Encoded }
      : {
          statusCode,
          statusDescription,
          headers: last === undefined ? headers : { ...headers, "set-cookie": last },
          body,
          isBase64Encoded,
        };
  }
  // The branch above built the shape that `kind` names; the generic return type cannot see that by itself.
  return result as HttpResultByKind[K];
}
