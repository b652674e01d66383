import { describe, expect, it } from "vitest";
import { type ApiGatewayV1Result } from "../../../src/adapters/lambda/http/index.js";
import {
  rest,
  restOpenApi,
  BYTES,
  COOKIE_A,
  COOKIE_B,
  serve,
  echo,
  base64,
  latin1Bytes,
} from "./support/http.js";

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
