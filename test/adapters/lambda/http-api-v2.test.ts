import { describe, expect, it } from "vitest";
import { type ApiGatewayV2Result } from "../../../src/adapters/lambda/http/index.js";
import {
  httpApi,
  functionUrl,
  BYTES,
  COOKIE_A,
  COOKIE_B,
  serve,
  echo,
  base64,
  latin1Bytes,
} from "./support/http.js";

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
