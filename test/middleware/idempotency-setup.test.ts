import { Hono } from "hono";
import { Skiff } from "skiff";
import { describe, expect, expectTypeOf, it } from "vitest";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import {
  idempotency,
  idempotentConsumer,
  type IdempotencyOptions,
} from "../../middleware/idempotency/index.js";
import { inProcess, post, uniqueKey, Job } from "./support/idempotency.js";

describe("idempotency() with other middleware", () => {
  it("claims nothing for a body bodyLimit() rejects (register bodyLimit first)", async () => {
    const app = new Skiff();
    let runs = 0;
    app.post("/upload", bodyLimit({ maxBytes: 16 }), idempotency(), (c) => (runs++, c.text("stored", 201)));
    const t = inProcess(app);
    const key = uniqueKey();
    // Chunked, with no Content-Length: the limit trips while idempotency() reads the body for its fingerprint.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode("x".repeat(8)));
        controller.close();
      },
    });
    const big = await t.fetch("/upload", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(big.status).toBe(413);
    const small = await t.fetch("/upload", {
      method: "POST",
      headers: { "Idempotency-Key": key },
      body: "x",
    });
    expect(small.status).toBe(201);
    expect(runs).toBe(1);
    await t.close();
  });
});

describe("idempotency() setup", () => {
  it.each([
    [{ ttlSeconds: 30 }, /ttlSeconds must be a whole number of seconds ≥ 60/],
    [{ lockSeconds: 0 }, /lockSeconds/],
    [{ lockSeconds: 100, ttlSeconds: 60 }, /lockSeconds/],
    [{ store: "redis" }, /store must be "db" or "kv"/],
    [{ headerName: "Bad Header" }, /headerName/],
    [{ methods: ["post"] }, /methods/],
    [{ scope: "user" }, /scope must be a function/],
  ])("rejects %j at setup with a [skiff] error naming the option", (options, message) => {
    expect(() => idempotency(options as IdempotencyOptions)).toThrow(message);
    expect(() => idempotency(options as IdempotencyOptions)).toThrow(/^\[skiff\] idempotency: /);
  });

  it("explains a missing db binding when used on an app without skiff's runtime", async () => {
    const app = new Hono();
    let seen: unknown;
    app.onError((error, c) => ((seen = error), c.text("boom", 500)));
    app.post("/", idempotency(), (c) => c.text("ok"));
    await app.request("/", post("k"));
    expect(String(seen)).toMatch(/\[skiff\] idempotency: store "db" needs the skiff db binding/);
  });
});

describe("idempotentConsumer() types and setup", () => {
  it("keeps the queue's message type when passed to app.queue()", () => {
    const app = new Skiff({ queues: { jobs: Job } });
    app.queue(
      "jobs",
      idempotentConsumer(async (m) => {
        expectTypeOf(m.body).toEqualTypeOf<{ jobId: string }>();
      }),
    );
  });

  it("rejects bad options at setup", () => {
    expect(() => idempotentConsumer(() => undefined, { ttlSeconds: 1 })).toThrow(
      /^\[skiff\] idempotentConsumer: ttlSeconds/,
    );
    expect(() => idempotentConsumer(() => undefined, { scope: "" })).toThrow(
      /^\[skiff\] idempotentConsumer: scope/,
    );
  });
});
