import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, SkiffError } from "skiff";
import {
  type AlbResult,
  type ApiGatewayV1Event,
  type ApiGatewayV1Result,
  type ApiGatewayV2Result,
  type HttpResult,
  detectLambdaEvent,
  scheduleInput,
  toLambda,
} from "skiff/lambda";
import { app, recorded, resetRecorded, testEnv, testHandler } from "./support/app.js";
import { fixture, httpEvent, ruleEvent, sqsEvent } from "./support/events.js";
import { type SqsStandIn, startSqsStandIn } from "./support/sqs-stand-in.js";

let standIn: SqsStandIn;
beforeAll(async () => {
  standIn = await startSqsStandIn();
});
afterAll(async () => {
  expect(standIn.badSignatures).toEqual([]);
  await standIn.close();
});
beforeEach(resetRecorded);

const body = (result: unknown) => JSON.parse((result as HttpResult).body) as Record<string, unknown>;

describe("one handler recognises each event kind by its shape", () => {
  it("tells every fixture and event kind apart", () => {
    expect(detectLambdaEvent(fixture("apigw-request.json"))).toBe("apigw-v1");
    expect(detectLambdaEvent(fixture("apigw-restapi-openapi-request.json"))).toBe("apigw-v1");
    expect(detectLambdaEvent(fixture("apigw-v2-request-no-authorizer.json"))).toBe("apigw-v2");
    expect(detectLambdaEvent(fixture("lambda-urls-request.json"))).toBe("apigw-v2");
    expect(detectLambdaEvent(fixture("alb-lambda-target-request-headers-only.json"))).toBe("alb");
    expect(detectLambdaEvent(fixture("alb-lambda-target-request-multivalue-headers.json"))).toBe("alb");
    expect(detectLambdaEvent(fixture("sqs-event.json"))).toBe("sqs");
    expect(detectLambdaEvent(ruleEvent("SampleRule"))).toBe("schedule-rule");
    expect(detectLambdaEvent(scheduleInput("0 9 * * *"))).toBe("schedule-input");
    expect(detectLambdaEvent(fixture("s3-event.json"))).toBeUndefined();
    expect(detectLambdaEvent(fixture("sns-event.json"))).toBeUndefined();
  });

  it("serves each HTTP fixture through the app and answers in that source's format", async () => {
    const handler = testHandler(standIn);
    const rest = (await handler(fixture("apigw-request.json"))) as ApiGatewayV1Result;
    expect(body(rest)).toMatchObject({
      method: "POST",
      path: "/hello/world",
      query: { name: ["me"] },
      body: '{\r\n\t"a": 1\r\n}',
      platform: "lambda",
    });
    expect(rest.multiValueHeaders["content-type"]).toEqual(["application/json"]);
    expect(body(await handler(fixture("apigw-restapi-openapi-request.json")))).toMatchObject({
      path: "/hello/world",
    });

    const httpApi = (await handler(fixture("apigw-v2-request-no-authorizer.json"))) as ApiGatewayV2Result;
    expect(httpApi).toMatchObject({ statusCode: 200, cookies: [], isBase64Encoded: false });
    expect(body(httpApi)).toMatchObject({ method: "GET", path: "/" });
    const url = await handler(fixture("lambda-urls-request.json"));
    expect(body(url)).toMatchObject({
      method: "POST",
      path: "/my/path",
      query: { parameter1: ["value1", "value2"], parameter2: ["value"] },
      body: "Hello from client!",
    });

    const albSingle = (await handler(fixture("alb-lambda-target-request-headers-only.json"))) as AlbResult;
    expect(albSingle).toMatchObject({ statusCode: 200, statusDescription: "200 OK" });
    expect(albSingle.headers).toBeDefined();
    expect(body(albSingle)).toMatchObject({ query: { key: ["hello"] } });
    const albMulti = (await handler(
      fixture("alb-lambda-target-request-multivalue-headers.json"),
    )) as AlbResult;
    expect(albMulti.multiValueHeaders?.["content-type"]).toEqual(["application/json"]);
    expect(albMulti.headers).toBeUndefined();
  });

  it("passes HTTP options through, e.g. a custom-domain base path", async () => {
    const handler = testHandler(standIn, { http: { stripBasePath: "/shop" } });
    const event = { ...fixture<ApiGatewayV1Event>("apigw-request.json"), path: "/shop/hello/world" };
    expect(body(await handler(event))).toMatchObject({ path: "/hello/world" });
  });

  it("answers a failing route with a 500 problem that leaks nothing, rather than failing the invocation", async () => {
    const result = (await testHandler(standIn)(
      await httpEvent(new Request("https://x.test/boom"), "apigw-v2"),
    )) as ApiGatewayV2Result;
    expect(result.statusCode).toBe(500);
    expect(result.headers["content-type"]).toBe("application/problem+json");
    expect(result.body).not.toContain("internal detail");
  });

  it.each([
    ["s3-event.json", 'an S3 event (Records[].eventSource "aws:s3")'],
    ["sns-event.json", 'an SNS event (Records[].EventSource "aws:sns")'],
  ])("rejects the %s fixture with an error naming the kind", async (name, kind) => {
    await expect(testHandler(standIn)(fixture(name))).rejects.toThrow(
      new SkiffError(
        `toLambda received ${kind}, which skiff does not route: it handles API Gateway (REST and HTTP API), Function URL, ALB, SQS and EventBridge schedule events`,
      ),
    );
  });

  it.each([
    [
      { Records: [{ eventSource: "aws:dynamodb", dynamodb: {} }] },
      'a DynamoDB Streams event (Records[].eventSource "aws:dynamodb")',
    ],
    [
      { Records: [{ eventSource: "aws:kinesis", kinesis: {} }] },
      'a Kinesis event (Records[].eventSource "aws:kinesis")',
    ],
    [{ eventSource: "aws:kafka", records: {} }, 'an Amazon MSK event (eventSource "aws:kafka")'],
    [
      { source: "aws.s3", "detail-type": "Object Created", detail: {} },
      'an EventBridge event (source "aws.s3", detail-type "Object Created")',
    ],
    [
      { requestContext: { stage: "prod" }, path: "/" },
      "an unrecognised event (top-level keys: requestContext, path)",
    ],
    [{}, "an empty event object"],
    [null, "a null event"],
    ["GET /", "a string event"],
  ])("rejects %j clearly, without needing any configuration", async (event, kind) => {
    // No env at all: an event skiff does not route must not fail on a missing database first.
    const handler = toLambda(app, { env: {} });
    await expect(handler(event)).rejects.toThrow(`toLambda received ${kind}, which skiff does not route`);
  });
});

describe("bindings on Lambda", () => {
  it("creates the bindings once per execution environment, on the first invocation", async () => {
    const handler = testHandler(standIn);
    const get = async () => handler(await httpEvent(new Request("https://x.test/db"), "apigw-v2"));
    await get();
    await get();
    await handler({ ...scheduleInput("0 9 * * MON-FRI"), scheduledTime: 0 });
    expect(recorded.dbs.size).toBe(1);
    // Another execution environment (another handler) has its own.
    await testHandler(standIn)(await httpEvent(new Request("https://x.test/db"), "alb"));
    expect(recorded.dbs.size).toBe(2);
  });

  it("keeps kv in the libSQL database", async () => {
    const handler = testHandler(standIn);
    const put = new Request("https://x.test/kv/greeting", { method: "PUT", body: "héllo" });
    expect(((await handler(await httpEvent(put, "apigw-v1"))) as HttpResult).statusCode).toBe(204);
    expect(
      ((await handler(await httpEvent(new Request("https://x.test/kv/greeting"), "apigw-v2"))) as HttpResult)
        .body,
    ).toBe("héllo");
  });

  it("refuses to use the database without TURSO_DATABASE_URL (no default file: Lambda's disk is ephemeral), then recovers once it is set", async () => {
    const env = { ...testEnv(standIn) };
    const database = env.TURSO_DATABASE_URL;
    delete env.TURSO_DATABASE_URL;
    const handler = toLambda(app, { env });
    // Issue 11: only invocations that use the database fail; a route with no binding still answers.
    const plain = await httpEvent(new Request("https://x.test/"), "apigw-v2");
    expect(((await handler(plain)) as HttpResult).statusCode).toBe(200);
    const event = await httpEvent(new Request("https://x.test/kv/greeting"), "apigw-v2");
    expect(((await handler(event)) as HttpResult).statusCode).toBe(500);
    const error = recorded.logs.find((r) => r.level === "error")?.error;
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("TURSO_DATABASE_URL");
    env.TURSO_DATABASE_URL = database;
    expect(((await handler(event)) as HttpResult).statusCode).toBe(200);
  });

  it("names the missing queue URL or credential variable when a producer sends", async () => {
    const fire = scheduleInput("30 * * * *");
    const noUrl = { ...testEnv(standIn), SKIFF_QUEUE_URL_JOBS: undefined };
    await expect(toLambda(app, { env: noUrl })(fire)).rejects.toMatchObject({
      name: "ConfigError",
      variable: "SKIFF_QUEUE_URL_JOBS",
    });
    const noKey = { ...testEnv(standIn), AWS_ACCESS_KEY_ID: undefined };
    await expect(toLambda(app, { env: noKey })(fire)).rejects.toMatchObject({
      name: "ConfigError",
      variable: "AWS_ACCESS_KEY_ID",
    });
    // With both, the same firing sends to the queue; the URL may also come from the options instead of the env.
    const viaOption = { ...testEnv(standIn), SKIFF_QUEUE_URL_JOBS: undefined };
    await toLambda(app, { env: viaOption, queueUrls: { jobs: standIn.queueUrl("jobs") } })(fire);
    expect(standIn.sent("jobs").at(-1)).toEqual({ n: 100 });
  });

  it("checks its options when the handler is made", () => {
    expect(() => toLambda(app, { retryDelay: "sometimes" as "ignore" })).toThrow(
      'retryDelay must be "visibility" or "ignore"',
    );
    expect(() => toLambda(app, { queueUrls: { jobs: "jobs" } })).toThrow(
      'queueUrls["jobs"] must be an http(s) URL',
    );
  });
});

describe("waitUntil work finishes before the handler resolves (Lambda freezes the process after it)", () => {
  it("for HTTP, including work that fails (logged, not thrown)", async () => {
    const result = (await testHandler(standIn)(
      await httpEvent(new Request("https://x.test/later"), "apigw-v1"),
    )) as HttpResult;
    expect(result.statusCode).toBe(200);
    expect(recorded.later).toEqual(["http"]);
    expect(recorded.logs.some((r) => r.msg === "waitUntil task failed")).toBe(true);
  });

  it("for SQS batches and schedules", async () => {
    const handler = testHandler(standIn);
    await handler(sqsEvent("jobs", [{ id: "w1", body: { n: 1 } }]));
    expect(recorded.later).toEqual(["job w1"]);
    await handler({ ...scheduleInput("0 9 * * MON-FRI"), scheduledTime: 0 });
    expect(recorded.later).toEqual(["job w1", "cron 0 9 * * MON-FRI"]);
  });
});
