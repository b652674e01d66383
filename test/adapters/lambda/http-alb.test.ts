import { describe, expect, it } from "vitest";
import { type AlbResult, toResult } from "../../../src/adapters/lambda/http/index.js";
import { albSingle, albMulti, BYTES, COOKIE_A, COOKIE_B, serve, echo, base64 } from "./support/http.js";

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
