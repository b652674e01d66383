import { readFileSync } from "node:fs";
import type {
  AlbEvent,
  AlbResult,
  ApiGatewayV1Event,
  ApiGatewayV1Result,
  ApiGatewayV2Event,
  ApiGatewayV2Result,
  HttpEventKind,
  HttpResult,
  ScheduledEvent,
  SqsEvent,
  SqsRecord,
} from "skiff/lambda";

/**
 * Events built the way AWS builds them (from the payload documentation and the recorded fixtures), so the
 * Lambda tests drive the handler exactly as Lambda would.
 */

// Real events from aws/aws-lambda-go, vendored under test/fixtures/aws-lambda-events (Apache-2.0, LICENSE there).
export const fixture = <T = unknown>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/aws-lambda-events/${name}`, import.meta.url), "utf8")) as T;

export const ACCOUNT = "123456789012";
export const queueArn = (name: string): string => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

/** An HTTP event of `kind` for `request`: REST (decoded query), HTTP API v2 (base64 body) or ALB (raw query). */
export async function httpEvent(
  request: Request,
  kind: HttpEventKind,
): Promise<ApiGatewayV1Event | ApiGatewayV2Event | AlbEvent> {
  const url = new URL(request.url);
  const bytes = new Uint8Array(await request.arrayBuffer());
  const text = bytes.byteLength ? new TextDecoder().decode(bytes) : null;
  const headers: Record<string, string> = { host: url.host, "x-forwarded-proto": "https" };
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (kind === "apigw-v2") {
    const { cookie, ...rest } = headers;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(cookie ? { cookies: cookie.split(/;\s*/) } : {}),
      headers: rest,
      ...(url.search ? { queryStringParameters: query } : {}),
      requestContext: {
        domainName: url.host,
        stage: "$default",
        requestId: "r-v2",
        http: { method: request.method, path: url.pathname },
      },
      ...(bytes.byteLength ? { body: Buffer.from(bytes).toString("base64") } : {}),
      isBase64Encoded: bytes.byteLength > 0,
    };
  }
  if (kind === "apigw-v1") {
    const multi: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) multi[k] = [...(multi[k] ?? []), v];
    const single = Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v.at(-1)]));
    return {
      resource: "/{proxy+}",
      httpMethod: request.method,
      path: url.pathname,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: url.search ? single : null,
      multiValueQueryStringParameters: url.search ? multi : null,
      requestContext: {
        stage: "prod",
        domainName: url.host,
        requestId: "r-v1",
        path: `/prod${url.pathname}`,
      },
      body: text,
      isBase64Encoded: false,
    };
  }
  // ALB (single-value mode): query keys and values exactly as the client sent them, not decoded.
  const raw: Record<string, string> = {};
  for (const pair of url.search.slice(1).split("&").filter(Boolean)) {
    const [k = "", v = ""] = pair.split("=");
    raw[k] = v;
  }
  return {
    requestContext: {
      elb: {
        targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/shop/0123456789abcdef`,
      },
    },
    httpMethod: request.method,
    path: url.pathname,
    queryStringParameters: raw,
    headers,
    body: text ?? "",
    isBase64Encoded: false,
  };
}

/** The `Response` a client would get back from API Gateway or ALB for `result`. */
export function toResponse(result: HttpResult, kind: HttpEventKind): Response {
  const headers = new Headers();
  if (kind === "apigw-v1") {
    for (const [name, values] of Object.entries((result as ApiGatewayV1Result).multiValueHeaders))
      for (const v of values) headers.append(name, v);
  } else if (kind === "apigw-v2") {
    const v2 = result as ApiGatewayV2Result;
    for (const [name, value] of Object.entries(v2.headers)) headers.set(name, value);
    for (const cookie of v2.cookies) headers.append("set-cookie", cookie);
  } else {
    const alb = result as AlbResult;
    for (const [name, value] of Object.entries(alb.headers ?? {})) headers.set(name, value);
    for (const [name, values] of Object.entries(alb.multiValueHeaders ?? {}))
      for (const v of values) headers.append(name, v);
  }
  const body =
    result.body === "" ? null : result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body;
  return new Response(body, { status: result.statusCode, headers });
}

/** One SQS record as the event source mapping delivers it. `body` objects are sent as their JSON. */
export function sqsRecord(
  queue: string,
  m: { id: string; body: unknown; attempts?: number; raw?: boolean },
): SqsRecord {
  return {
    messageId: m.id,
    receiptHandle: `rh-${m.id}`,
    body: m.raw ? String(m.body) : JSON.stringify(m.body),
    attributes: {
      ApproximateReceiveCount: String(m.attempts ?? 1),
      SentTimestamp: String(Date.UTC(2026, 0, 2, 9)),
      SenderId: "AROAEXAMPLE",
      ApproximateFirstReceiveTimestamp: String(Date.UTC(2026, 0, 2, 9, 0, 1)),
      ...(queue.endsWith(".fifo") ? { MessageGroupId: "g1", SequenceNumber: "1" } : {}),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn(queue),
    awsRegion: "us-east-1",
  } as SqsRecord;
}

export const sqsEvent = (
  queue: string,
  messages: Array<{ id: string; body: unknown; attempts?: number; raw?: boolean }>,
): SqsEvent => ({
  Records: messages.map((m) => sqsRecord(queue, m)),
});

/** An EventBridge rule's Scheduled Event, as in the fixtures README. */
export const ruleEvent = (ruleName: string, time: number | string = Date.now()): ScheduledEvent => ({
  version: "0",
  id: "890abcde-f123-4567-890a-bcdef1234567",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: ACCOUNT,
  time: typeof time === "string" ? time : new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z"),
  region: "us-east-1",
  resources: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/${ruleName}`],
  detail: {},
});
