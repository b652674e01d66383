import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { describe, expect, it } from "vitest";
import { SkiffError } from "../../../src/errors.js";
import {
  type AlbEvent,
  type AlbResult,
  type ApiGatewayV1Event,
  type ApiGatewayV1Result,
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
  type HttpRequestOptions,
  type HttpResult,
  detectHttpEvent,
  handleHttpEvent,
  toRequest,
  toResult,
} from "../../../src/adapters/lambda/http/index.js";
import { fixture } from "./support/events.js";

const rest = () => fixture<ApiGatewayV1Event>("apigw-request.json");
const restOpenApi = () => fixture<ApiGatewayV1Event>("apigw-restapi-openapi-request.json");
const httpApi = () => fixture<ApiGatewayV2Event>("apigw-v2-request-no-authorizer.json");
const functionUrl = () => fixture<ApiGatewayV2Event>("lambda-urls-request.json");
const albSingle = () => fixture<AlbEvent>("alb-lambda-target-request-headers-only.json");
const albMulti = () => fixture<AlbEvent>("alb-lambda-target-request-multivalue-headers.json");

const BYTES = Uint8Array.from([0, 1, 2, 127, 128, 254, 255, 0x0d, 0x0a]);
const COOKIE_A = "a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT";
const COOKIE_B = "b=2; HttpOnly";

// The echo app: every route a test needs, seen through a real Hono app.
const app = new Hono();
app.get("/cookies", (c) => {
  c.header("set-cookie", COOKIE_A, { append: true });
  c.header("set-cookie", COOKIE_B, { append: true });
  return c.text("two cookies");
});
app.get("/binary", (c) => c.body(BYTES, 200, { "content-type": "image/png" }));
app.post("/bytes", async (c) =>
  c.body(new Uint8Array(await c.req.arrayBuffer()), 200, { "content-type": "application/octet-stream" }),
);
app.get("/text", (c) => c.text("héllo ✓"));
app.all("*", async (c) => {
  const url = new URL(c.req.url);
  return c.json({
    method: c.req.method,
    url: c.req.url,
    path: c.req.path,
    rawPath: url.pathname,
    rawQuery: url.search.slice(1),
    query: c.req.queries(),
    headers: Object.fromEntries(c.req.raw.headers),
    cookies: getCookie(c),
    body: await c.req.text(),
  });
});

interface Echo {
  method: string;
  url: string;
  path: string;
  rawPath: string;
  rawQuery: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  body: string;
}

const serve = (event: unknown, options?: HttpRequestOptions): Promise<HttpResult> =>
  handleHttpEvent(event, (request) => app.fetch(request), options);
const echo = async (event: unknown, options?: HttpRequestOptions): Promise<Echo> =>
  JSON.parse((await serve(event, options)).body) as Echo;
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
const latin1Bytes = (value: string): Uint8Array => Uint8Array.from(value, (char) => char.charCodeAt(0));

describe("detecting the event source", () => {
  it("recognises every HTTP fixture by shape", () => {
    expect(detectHttpEvent(rest())).toBe("apigw-v1");
    expect(detectHttpEvent(restOpenApi())).toBe("apigw-v1");
    expect(detectHttpEvent(httpApi())).toBe("apigw-v2");
    expect(detectHttpEvent(functionUrl())).toBe("apigw-v2");
    expect(detectHttpEvent(albSingle())).toBe("alb");
    expect(detectHttpEvent(albMulti())).toBe("alb");
  });

  it("never takes a REST event behind a custom-domain base-path mapping for v2", () => {
    const event = rest();
    event.path = "/api/hello/world";
    event.headers = { ...event.headers, Host: "api.example.com" };
    event.requestContext = {
      ...event.requestContext,
      path: "/api/hello/world",
      domainName: "api.example.com",
    };
    expect(detectHttpEvent(event)).toBe("apigw-v1");
    // HTTP API payload format 1.0 is REST-shaped and says so.
    expect(detectHttpEvent({ ...rest(), version: "1.0" })).toBe("apigw-v1");
  });

  it("returns undefined for SQS, S3, SNS, schedules and non-objects, and the handler refuses them", async () => {
    for (const name of ["sqs-event.json", "s3-event.json", "sns-event.json"]) {
      expect(detectHttpEvent(fixture<unknown>(name))).toBeUndefined();
      await expect(serve(fixture<unknown>(name))).rejects.toThrow(SkiffError);
    }
    const scheduled = { "detail-type": "Scheduled Event", source: "aws.events", resources: [], detail: {} };
    for (const other of [scheduled, null, "GET /", [], {}, { httpMethod: "GET" }]) {
      expect(detectHttpEvent(other)).toBeUndefined();
    }
  });

  it("ties each event type to its kind at compile time", () => {
    // @ts-expect-error an ALB event is not a v2 event
    expect(() => toRequest(albSingle(), "apigw-v2")).toThrow();
    expect(toRequest(albSingle(), "alb").method).toBe("GET");
  });
});

describe("API Gateway REST (v1)", () => {
  it.each([
    ["apigw-request.json", rest],
    ["apigw-restapi-openapi-request.json", restOpenApi],
  ])("round-trips %s with every header once", async (_name, load) => {
    const event = load();
    const seen = await echo(event);
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("https://gy415nuibc.execute-api.us-east-1.amazonaws.com/hello/world?name=me");
    expect(seen.query).toEqual({ name: ["me"] });
    expect(seen.body).toBe('{\r\n\t"a": 1\r\n}');
    // Every header is in both headers and multiValueHeaders; the app must see each value once.
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      expect(seen.headers[name.toLowerCase()], name).toBe(value);
    }
    expect(seen.headers["accept"]).toBe("*/*");
    const result = (await serve(event)) as ApiGatewayV1Result;
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: false });
    expect(result.headers["content-type"]).toBe("application/json");
    expect(result.multiValueHeaders["content-type"]).toEqual(["application/json"]);
  });

  it("takes repeated headers from multiValueHeaders and joins cookies with '; '", async () => {
    const seen = await echo({
      ...rest(),
      httpMethod: "GET",
      headers: { "X-Multi": "b", Cookie: "b=2", Host: "api.example.com" },
      multiValueHeaders: { "x-multi": ["a", "b"], cookie: ["a=1", "b=2"] },
    });
    expect(seen.headers["x-multi"]).toBe("a, b");
    expect(seen.headers["cookie"]).toBe("a=1; b=2");
    expect(seen.cookies).toEqual({ a: "1", b: "2" });
    expect(seen.url).toBe("https://api.example.com/hello/world?name=me");
  });

  it("re-encodes the decoded query exactly, repeated keys included", async () => {
    const seen = await echo({
      ...rest(),
      multiValueQueryStringParameters: { a: ["1 2"], q: ["✓"], x: ["a&b", "c"], "k y": ["="] },
      queryStringParameters: { a: "1 2", q: "✓", x: "c", "k y": "=" },
    });
    expect(seen.rawQuery).toBe("a=1%202&q=%E2%9C%93&x=a%26b&x=c&k%20y=%3D");
    expect(seen.query).toEqual({ a: ["1 2"], q: ["✓"], x: ["a&b", "c"], "k y": ["="] });
    const single = await echo({
      ...rest(),
      multiValueQueryStringParameters: null,
      queryStringParameters: { x: "a&b" },
    });
    expect(single.rawQuery).toBe("x=a%26b");
  });

  it("passes a percent-encoded path as sent and makes a decoded one safe", async () => {
    const seen = await echo({ ...rest(), path: "/files/a%20b" });
    expect(seen.rawPath).toBe("/files/a%20b");
    expect(seen.path).toBe("/files/a b");
    const unsafe = await echo({
      ...rest(),
      path: "/files/what?#100%",
      multiValueQueryStringParameters: { n: ["1"] },
    });
    expect(unsafe.rawPath).toBe("/files/what%3F%23100%25");
    expect(unsafe.rawQuery).toBe("n=1");
  });

  it("shows event.path (no stage) and strips a base path or stage only when asked", async () => {
    // execute-api URL: path has no stage, requestContext.path would have it.
    const direct = {
      ...rest(),
      requestContext: { ...rest().requestContext, path: "/testStage/hello/world" },
    };
    expect((await echo(direct)).rawPath).toBe("/hello/world");
    // Custom domain with base path "api": API Gateway puts the base path in event.path.
    const mapped = { ...rest(), path: "/api/hello/world" };
    expect((await echo(mapped)).rawPath).toBe("/api/hello/world");
    expect((await echo(mapped, { stripBasePath: "/api" })).rawPath).toBe("/hello/world");
    expect((await echo(mapped, { stripBasePath: "api/" })).rawPath).toBe("/hello/world");
    expect((await echo({ ...rest(), path: "/api" }, { stripBasePath: "/api" })).rawPath).toBe("/");
    expect((await echo({ ...rest(), path: "/apis/x" }, { stripBasePath: "/api" })).rawPath).toBe("/apis/x");
    const staged = { ...rest(), path: "/testStage/api/hello" };
    expect((await echo(staged, { stripStage: true, stripBasePath: "/api" })).rawPath).toBe("/hello");
    expect((await echo(staged)).rawPath).toBe("/testStage/api/hello");
  });

  it("keeps every Set-Cookie in multiValueHeaders and none in headers", async () => {
    const result = (await serve({ ...rest(), httpMethod: "GET", path: "/cookies" })) as ApiGatewayV1Result;
    expect(result.multiValueHeaders["set-cookie"]).toEqual([COOKIE_A, COOKIE_B]);
    expect(result.headers["set-cookie"]).toBeUndefined();
    expect(result.body).toBe("two cookies");
  });

  it("carries a base64 request body and a binary response byte for byte", async () => {
    const result = await serve({ ...rest(), path: "/bytes", body: base64(BYTES), isBase64Encoded: true });
    expect(result.isBase64Encoded).toBe(true);
    expect(new Uint8Array(Buffer.from(result.body, "base64"))).toEqual(BYTES);
    const image = await serve({ ...rest(), httpMethod: "GET", path: "/binary" });
    expect(image).toMatchObject({ isBase64Encoded: true, body: base64(BYTES) });
  });

  it("gives GET and HEAD no body and answers HEAD with none", async () => {
    const get = await echo({ ...rest(), httpMethod: "GET", body: "ignored" });
    expect(get).toMatchObject({ method: "GET", body: "" });
    expect(get.headers["content-length"]).toBeUndefined();
    const head = await serve({ ...rest(), httpMethod: "HEAD", body: "ignored" });
    expect(head).toMatchObject({ statusCode: 200, body: "", isBase64Encoded: false });
  });

  it("sends a non-ASCII header value as its UTF-8 bytes instead of throwing", async () => {
    const event = {
      ...rest(),
      multiValueHeaders: { "X-Name": ["José ✓"] },
      headers: { "X-Name": "José ✓", "X-Latin": "José" },
    };
    const seen = await echo(event);
    expect(new TextDecoder().decode(latin1Bytes(seen.headers["x-name"] ?? ""))).toBe("José ✓");
    expect(seen.headers["x-latin"]).toBe("José");
  });
});

describe("HTTP API and Function URLs (v2)", () => {
  it("round-trips the HTTP API fixture", async () => {
    const seen = await echo(httpApi());
    expect(seen).toMatchObject({
      method: "GET",
      url: "https://aaaaaaaaaa.execute-api.us-west-2.amazonaws.com/",
      body: "",
    });
    expect(seen.headers["user-agent"]).toBe("curl/7.58.0");
    expect(seen.headers["x-forwarded-for"]).toBe("1.2.3.4");
  });

  it("round-trips the Function URL fixture: raw query, cookies[], comma-joined headers, body", async () => {
    const seen = await echo(functionUrl());
    expect(seen.method).toBe("POST");
    expect(seen.rawPath).toBe("/my/path");
    expect(seen.rawQuery).toBe("parameter1=value1&parameter1=value2&parameter2=value");
    expect(seen.query).toEqual({ parameter1: ["value1", "value2"], parameter2: ["value"] });
    expect(seen.headers["cookie"]).toBe("cookie1; cookie2");
    expect(seen.headers["header1"]).toBe("value1");
    expect(seen.headers["header2"]).toBe("value1,value2");
    expect(seen.body).toBe("Hello from client!");
    // No host header and a placeholder domainName ("<url-id>..."): the URL still builds, on a safe host.
    expect(seen.url.startsWith("https://localhost/my/path?")).toBe(true);
  });

  it("keeps rawPath and rawQueryString exactly as sent", async () => {
    const event = {
      ...httpApi(),
      rawPath: "/files/a%20b",
      rawQueryString: "a=1%202&q=%E2%9C%93&x=a%26b&x=c",
    };
    const seen = await echo(event);
    expect(seen.rawPath).toBe("/files/a%20b");
    expect(seen.rawQuery).toBe("a=1%202&q=%E2%9C%93&x=a%26b&x=c");
    expect(seen.query).toEqual({ a: ["1 2"], q: ["✓"], x: ["a&b", "c"] });
  });

  it("strips a named stage when asked, never $default", async () => {
    const named = {
      ...httpApi(),
      rawPath: "/prod/users",
      requestContext: { ...httpApi().requestContext, stage: "prod" },
    };
    expect((await echo(named, { stripStage: true })).rawPath).toBe("/users");
    expect((await echo(named)).rawPath).toBe("/prod/users");
    expect((await echo({ ...httpApi(), rawPath: "/$default/x" }, { stripStage: true })).rawPath).toBe(
      "/$default/x",
    );
  });

  it("returns one cookies[] entry per Set-Cookie", async () => {
    const result = (await serve({ ...httpApi(), rawPath: "/cookies" })) as ApiGatewayV2Result;
    expect(result.cookies).toEqual([COOKIE_A, COOKIE_B]);
    expect(result.headers["set-cookie"]).toBeUndefined();
    expect(result).not.toHaveProperty("multiValueHeaders");
  });

  it("carries binary bodies both ways and text as text", async () => {
    const post = {
      ...functionUrl(),
      rawPath: "/bytes",
      rawQueryString: "",
      body: base64(BYTES),
      isBase64Encoded: true,
    };
    const result = await serve(post);
    expect(result).toMatchObject({ isBase64Encoded: true, body: base64(BYTES) });
    const text = await serve({ ...httpApi(), rawPath: "/text" });
    expect(text).toMatchObject({ isBase64Encoded: false, body: "héllo ✓" });
  });

  it("survives a non-ASCII header value", async () => {
    const seen = await echo({ ...httpApi(), headers: { ...httpApi().headers, "x-city": "Zürich ✓" } });
    expect(new TextDecoder().decode(latin1Bytes(seen.headers["x-city"] ?? ""))).toBe("Zürich ✓");
  });
});

describe("Application Load Balancer", () => {
  it("round-trips the single-value fixture and answers with headers", async () => {
    const event = albSingle();
    const seen = await echo(event);
    expect(seen.url).toBe("http://lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com/?key=hello");
    expect(seen.headers["x-myheader"]).toBe("123");
    const result = (await serve(event)) as AlbResult;
    expect(result).toMatchObject({ statusCode: 200, statusDescription: "200 OK", isBase64Encoded: false });
    expect(result.headers?.["content-type"]).toBe("application/json");
    expect(result).not.toHaveProperty("multiValueHeaders");
  });

  it("round-trips the multi-value fixture and answers with multiValueHeaders", async () => {
    const event = albMulti();
    const seen = await echo(event);
    expect(seen.url).toBe("http://lambda-test-alb-1234567.us-east-1.elb.amazonaws.com/?key=hello");
    expect(seen.headers["x-forwarded-for"]).toBe("72.21.198.67");
    const result = (await serve(event)) as AlbResult;
    expect(result.statusDescription).toBe("200 OK");
    expect(result.multiValueHeaders?.["content-type"]).toEqual(["application/json"]);
    expect(result).not.toHaveProperty("headers");
  });

  it("passes the undecoded query through without encoding it again", async () => {
    const single = await echo({
      ...albSingle(),
      queryStringParameters: { q: "a%20b", x: "a%26b", c: "%E2%9C%93" },
    });
    expect(single.rawQuery).toBe("q=a%20b&x=a%26b&c=%E2%9C%93");
    expect(single.query).toEqual({ q: ["a b"], x: ["a&b"], c: ["✓"] });
    const multi = await echo({
      ...albMulti(),
      multiValueQueryStringParameters: { x: ["1", "2"], y: ["a%23b"] },
    });
    expect(multi.rawQuery).toBe("x=1&x=2&y=a%23b");
    expect(multi.query).toEqual({ x: ["1", "2"], y: ["a#b"] });
  });

  it("keeps every Set-Cookie in multi-value mode and the last one in single-value mode", async () => {
    const multi = (await serve({ ...albMulti(), path: "/cookies" })) as AlbResult;
    expect(multi.multiValueHeaders?.["set-cookie"]).toEqual([COOKIE_A, COOKIE_B]);
    const single = (await serve({ ...albSingle(), path: "/cookies" })) as AlbResult;
    expect(single.headers?.["set-cookie"]).toBe(COOKIE_B);
  });

  it("base64-encodes binary responses and describes other statuses", async () => {
    expect(await serve({ ...albMulti(), path: "/binary" })).toMatchObject({
      isBase64Encoded: true,
      body: base64(BYTES),
    });
    const missing = await toResult(new Response("gone", { status: 404 }), "alb");
    expect(missing).toMatchObject({ statusCode: 404, statusDescription: "404 Not Found", headers: {} });
  });
});

describe("response bodies", () => {
  const kindOf = async (contentType: string | undefined, init: { encoding?: string } = {}) => {
    const headers = new Headers();
    if (contentType) headers.set("content-type", contentType);
    if (init.encoding) headers.set("content-encoding", init.encoding);
    // Bytes, not a string: a string body would make Response add its own text/plain content type.
    const body = new TextEncoder().encode("body ✓");
    return (await toResult(new Response(body, { headers }), "apigw-v2")).isBase64Encoded ? "base64" : "text";
  };

  it.each([
    "text/html",
    "text/csv",
    "application/json",
    "application/problem+json",
    "application/vnd.api+json; charset=utf-8",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
    "image/svg+xml",
    "application/x-custom; charset=UTF-8",
  ])("sends %s as text", async (type) => {
    expect(await kindOf(type)).toBe("text");
  });

  it.each([
    "application/octet-stream",
    "image/png",
    "application/pdf",
    "text/plain; charset=iso-8859-1",
    undefined,
  ])("sends %s as base64", async (type) => {
    expect(await kindOf(type)).toBe("base64");
  });

  it("sends compressed text and text that is not UTF-8 as base64, byte for byte", async () => {
    expect(await kindOf("text/plain", { encoding: "gzip" })).toBe("base64");
    expect(await kindOf("text/plain", { encoding: "identity" })).toBe("text");
    const invalid = Uint8Array.from([0x68, 0xff, 0x69]);
    const result = await toResult(
      new Response(invalid, { headers: { "content-type": "text/plain" } }),
      "apigw-v1",
    );
    expect(result).toMatchObject({ isBase64Encoded: true, body: base64(invalid) });
  });

  it("sends an empty body as an empty string", async () => {
    const result = await toResult(new Response(null, { status: 204 }), "apigw-v1");
    expect(result).toEqual({
      statusCode: 204,
      headers: {},
      multiValueHeaders: {},
      body: "",
      isBase64Encoded: false,
    });
  });
});
