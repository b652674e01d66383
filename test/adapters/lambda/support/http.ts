import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import {
  type AlbEvent,
  type ApiGatewayV1Event,
  type ApiGatewayV2Event,
  type HttpRequestOptions,
  type HttpResult,
  handleHttpEvent,
} from "../../../../src/adapters/lambda/http/index.js";
import { fixture } from "./events.js";

/** Shared by the Lambda HTTP tests: the recorded fixtures, an echo app, and calls through the HTTP handler. */

export const rest = () => fixture<ApiGatewayV1Event>("apigw-request.json");
export const restOpenApi = () => fixture<ApiGatewayV1Event>("apigw-restapi-openapi-request.json");
export const httpApi = () => fixture<ApiGatewayV2Event>("apigw-v2-request-no-authorizer.json");
export const functionUrl = () => fixture<ApiGatewayV2Event>("lambda-urls-request.json");
export const albSingle = () => fixture<AlbEvent>("alb-lambda-target-request-headers-only.json");
export const albMulti = () => fixture<AlbEvent>("alb-lambda-target-request-multivalue-headers.json");

export const BYTES = Uint8Array.from([0, 1, 2, 127, 128, 254, 255, 0x0d, 0x0a]);
export const COOKIE_A = "a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT";
export const COOKIE_B = "b=2; HttpOnly";

// The echo app: every route a test needs, seen through a real Hono app.
export const app = new Hono();
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

export interface Echo {
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

export const serve = (event: unknown, options?: HttpRequestOptions): Promise<HttpResult> =>
  handleHttpEvent(event, (request) => app.fetch(request), options);
export const echo = async (event: unknown, options?: HttpRequestOptions): Promise<Echo> =>
  JSON.parse((await serve(event, options)).body) as Echo;
export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");
export const latin1Bytes = (value: string): Uint8Array =>
  Uint8Array.from(value, (char) => char.charCodeAt(0));
