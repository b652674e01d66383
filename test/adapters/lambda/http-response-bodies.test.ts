import { describe, expect, it } from "vitest";
import { toResult } from "../../../src/adapters/lambda/http/index.js";
import { base64 } from "./support/http.js";

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
