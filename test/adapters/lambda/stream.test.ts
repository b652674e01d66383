import type { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { streamSSE } from "hono/streaming";
import { Skiff, SkiffError } from "skiff";
import {
  type ApiGatewayV1Result,
  type ApiGatewayV2Event,
  type ApiGatewayV2Result,
  type AlbResult,
  type HttpEventKind,
  scheduleInput,
  toLambda,
} from "skiff/lambda";
import { z } from "zod";
import {
  bytesOf,
  createResponseStream,
  installAwsLambdaGlobal,
  invokeStreaming,
  isStreamingHandler,
  PRELUDE_CONTENT_TYPE,
  splitPrelude,
} from "./support/awslambda-runtime.js";
import { httpEvent, sqsEvent } from "./support/events.js";

// The SSE route waits, between its two events, for the test to see the first one arrive: a buffered handler could
// never get past that wait (the test would fail on its time bound), a streaming one must.
let firstSeen: () => void = () => undefined;
let firstSeenPromise: Promise<void> = Promise.resolve();
const timeline: Array<{ what: string; at: number }> = [];
const mark = (what: string) => timeline.push({ what, at: performance.now() });

function streamingApp() {
  const app = new Skiff({ queues: { jobs: z.object({ n: z.number() }) } });
  app.get("/events", (c) =>
    streamSSE(c, async (sse) => {
      await sse.writeSSE({ data: "one", event: "tick" });
      mark("route wrote one");
      await firstSeenPromise;
      await sse.writeSSE({ data: "two", event: "tick" });
      mark("route finished");
    }),
  );
  app.get("/cookies", (c) => {
    c.header("set-cookie", "a=1; Path=/", { append: true });
    c.header("set-cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT", { append: true });
    c.header("x-hop", "drop me");
    c.header("connection", "x-hop");
    return c.text("with cookies", 201);
  });
  app.get("/empty", (c) => c.body(null, 204));
  app.get("/big", () => {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 16) return controller.close();
          sent++;
          controller.enqueue(chunk);
        },
      }),
      { headers: { "content-type": "application/octet-stream" } },
    );
  });
  app.get("/later", (c) => {
    c.executionCtx.waitUntil(
      new Promise((resolve) => setTimeout(resolve, 50)).then(() => mark("waitUntil done")),
    );
    return c.text("answered first");
  });
  app.queue("jobs", () => undefined);
  app.cron("0 * * * *", () => undefined);
  return app;
}

const urlEvent = async (path: string, init?: RequestInit): Promise<ApiGatewayV2Event> => {
  const event = (await httpEvent(
    new Request(`https://abcdefghij.lambda-url.us-east-1.on.aws${path}`, init),
    "apigw-v2",
  )) as ApiGatewayV2Event;
  return {
    ...event,
    requestContext: { ...event.requestContext, domainName: "abcdefghij.lambda-url.us-east-1.on.aws" },
  };
};

const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms),
    ),
  ]);

let uninstall: () => void = () => undefined;
beforeEach(() => {
  timeline.length = 0;
  firstSeenPromise = new Promise<void>((resolve) => {
    firstSeen = resolve;
  });
  uninstall = installAwsLambdaGlobal();
});
afterEach(() => uninstall());

describe("toLambda(app, { stream: true }) streams Function URL responses", () => {
  it("wraps the handler with awslambda.streamifyResponse", () => {
    expect(isStreamingHandler(toLambda(streamingApp(), { env: {}, stream: true }))).toBe(true);
    expect(isStreamingHandler(toLambda(streamingApp(), { env: {} }))).toBe(false);
  });

  it("writes the metadata prelude, 8 NUL bytes, then each SSE event before the route has finished", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    const stream = createResponseStream();
    let seen = false;
    stream.onChunk = () => {
      if (!seen && Buffer.from(bytesOf(stream)).includes("data: one")) {
        seen = true;
        mark("client saw one");
        firstSeen();
      }
    };
    const { resolvedAt } = await within(
      invokeStreaming(handler, await urlEvent("/events"), stream),
      5_000,
      "the stream",
    );

    expect(stream.contentType).toBe(PRELUDE_CONTENT_TYPE);
    const all = bytesOf(stream);
    const { prelude, body } = splitPrelude(all);
    expect(prelude).toEqual({
      statusCode: 200,
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      cookies: [],
    });
    // The JSON prelude comes first and alone: nothing of the body before the delimiter.
    expect(Buffer.from(all).subarray(0, JSON.stringify(prelude).length).toString()).toBe(
      JSON.stringify(prelude),
    );
    expect(Buffer.from(body).toString()).toBe("event: tick\ndata: one\n\nevent: tick\ndata: two\n\n");

    // The first event reached the client while the route was still waiting to write the second.
    expect(timeline.map((t) => t.what).filter((what) => what !== "route wrote one")).toEqual([
      "client saw one",
      "route finished",
    ]);
    const sawOne = timeline.find((t) => t.what === "client saw one")?.at ?? Infinity;
    const finished = timeline.find((t) => t.what === "route finished")?.at ?? -Infinity;
    expect(sawOne).toBeLessThan(finished);
    expect(finished).toBeLessThanOrEqual(resolvedAt);
  });

  it("sends cookies in the prelude's cookies list and drops hop-by-hop headers", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    const { stream } = await invokeStreaming(handler, await urlEvent("/cookies"));
    const { prelude, body } = splitPrelude(bytesOf(stream));
    expect(prelude).toEqual({
      statusCode: 201,
      headers: { "content-type": "text/plain; charset=UTF-8" },
      cookies: ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
    });
    expect(Buffer.from(body).toString()).toBe("with cookies");
  });

  it("still sends the prelude for a response without a body (204, HEAD)", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    const empty = splitPrelude(bytesOf((await invokeStreaming(handler, await urlEvent("/empty"))).stream));
    expect(empty.prelude).toMatchObject({ statusCode: 204 });
    expect(empty.body.byteLength).toBe(0);
    const head = splitPrelude(
      bytesOf((await invokeStreaming(handler, await urlEvent("/cookies", { method: "HEAD" }))).stream),
    );
    expect(head.prelude).toMatchObject({ statusCode: 201 });
    expect(head.body.byteLength).toBe(0);
  });

  it("honours back-pressure from a slow client and delivers every byte in order", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    const stream = createResponseStream({ highWaterMark: 1024, delayMs: 1 });
    await within(invokeStreaming(handler, await urlEvent("/big"), stream), 10_000, "the 1 MiB stream");
    const { prelude, body } = splitPrelude(bytesOf(stream));
    expect(prelude).toMatchObject({
      statusCode: 200,
      headers: { "content-type": "application/octet-stream" },
    });
    expect(body.byteLength).toBe(16 * 64 * 1024);
    expect(body.every((byte) => byte === 120)).toBe(true);
  });

  it("ends the response before waitUntil work, and resolves only after it", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    const stream = createResponseStream();
    (stream as unknown as Writable).once("finish", () => mark("stream finished"));
    await invokeStreaming(handler, await urlEvent("/later"), stream);
    expect(timeline.map((t) => t.what)).toEqual(["stream finished", "waitUntil done"]);
  });

  it("answers other events with their usual result as the JSON payload", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    const sqs = await invokeStreaming(handler, sqsEvent("jobs", [{ id: "m1", body: { n: 1 } }]));
    expect(sqs.stream.contentType).toBe("application/json");
    expect(JSON.parse(Buffer.from(bytesOf(sqs.stream)).toString())).toEqual({ batchItemFailures: [] });
    const cron = await invokeStreaming(handler, { ...scheduleInput("0 * * * *"), scheduledTime: 0 });
    expect(bytesOf(cron.stream).byteLength).toBe(0);
    // API Gateway (not a Function URL) invokes with the plain Invoke API: the REST result, as JSON.
    const rest = await invokeStreaming(
      handler,
      await httpEvent(new Request("https://api.example.com/cookies"), "apigw-v1"),
    );
    const result = JSON.parse(Buffer.from(bytesOf(rest.stream)).toString()) as ApiGatewayV1Result;
    expect(result).toMatchObject({ statusCode: 201, body: "with cookies" });
  });

  it("refuses an event it does not route, as the buffered handler does", async () => {
    const handler = toLambda(streamingApp(), { env: {}, stream: true });
    await expect(invokeStreaming(handler, { Records: [{ eventSource: "aws:s3" }] })).rejects.toThrow(
      'toLambda received an S3 event (Records[].eventSource "aws:s3")',
    );
  });

  it("needs the awslambda global, and says so where there is none", () => {
    uninstall();
    // Another library's global, if one is loaded in this process (lambda-local, which Netlify's dev tooling loads,
    // installs one when imported), is set aside for this test.
    const target = globalThis as { awslambda?: unknown };
    const other = target.awslambda;
    delete target.awslambda;
    try {
      expect(() => toLambda(streamingApp(), { env: {}, stream: true })).toThrow(SkiffError);
      expect(() => toLambda(streamingApp(), { env: {}, stream: true })).toThrow(
        "needs the awslambda global that Lambda's Node.js runtime provides",
      );
    } finally {
      if (other !== undefined) target.awslambda = other;
    }
  });
});

describe("a buffered result never carries hop-by-hop headers", () => {
  const HOP = ["transfer-encoding", "connection", "keep-alive", "x-hop"];

  it.each(["apigw-v1", "apigw-v2", "alb"] as HttpEventKind[])(
    "drops transfer-encoding and connection from an SSE answer (%s)",
    async (kind) => {
      firstSeen(); // buffered: the route must run to the end before anything is sent
      const handler = toLambda(streamingApp(), { env: {} });
      const result = await handler(await httpEvent(new Request("https://api.example.com/events"), kind));
      const headers = {
        ...(result as AlbResult).headers,
        ...(result as ApiGatewayV1Result).multiValueHeaders,
      };
      expect(Object.keys(headers).map((h) => h.toLowerCase())).toContain("content-type");
      for (const name of HOP) expect(Object.keys(headers).map((h) => h.toLowerCase())).not.toContain(name);
      expect((result as ApiGatewayV2Result).body).toBe(
        "event: tick\ndata: one\n\nevent: tick\ndata: two\n\n",
      );
    },
  );

  it("drops the headers a Connection header names", async () => {
    const handler = toLambda(streamingApp(), { env: {} });
    const result = (await handler(
      await httpEvent(new Request("https://api.example.com/cookies"), "apigw-v2"),
    )) as ApiGatewayV2Result;
    expect(result.headers).toEqual({ "content-type": "text/plain; charset=UTF-8" });
    expect(result.cookies).toHaveLength(2);
  });
});
