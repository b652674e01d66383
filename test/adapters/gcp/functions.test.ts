import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { toGcp } from "skiff/gcp";
import type { LogRecord } from "skiff";
import { tempDbUrl } from "../../contract/node-driver.js";
import { type FrameworkServer, postPubSubEvent, serveFunction } from "./support/framework.js";
import { type PubSubStandIn, startPubSubStandIn } from "./support/pubsub-server.js";

const Job = z.object({ n: z.number() });
const lines: LogRecord[] = [];
const app = new Skiff({
  queues: { jobs: Job, "jobs-dlq": z.unknown() },
  log: { sink: (record) => lines.push(record), level: "debug" },
});
const seen: Array<{ n: number; attempts: number; id: string }> = [];
const fired: Array<{ cron: string; scheduledTime: number; executionId?: string }> = [];
let release: () => void = () => undefined;

app.get("/stream", (c) => {
  const gate = new Promise<void>((resolve) => (release = resolve));
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode("first;"));
      await gate;
      controller.enqueue(new TextEncoder().encode("second"));
      controller.close();
    },
  });
  return c.body(body, 200, { "content-type": "text/plain" });
});
app.post("/echo", async (c) => {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return c.json({ type: c.req.header("content-type"), bytes: [...bytes], url: c.req.url });
});
app.get("/cookies", (c) => {
  c.header("set-cookie", "a=1; Path=/", { append: true });
  c.header("set-cookie", "b=2; Path=/", { append: true });
  return c.text("ok");
});
app.get("/boom", () => {
  throw new Error("secret internals at /workspace/app.js");
});
app.post("/json", async (c) => c.json(await c.req.json()));
app.get("/later", (c) => {
  c.executionCtx.waitUntil(
    new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
      lines.push({ time: "", level: "info", msg: "background done" }),
    ),
  );
  return c.text("soon");
});
app.queue(
  "jobs",
  async (message) => {
    seen.push({ n: message.body.n, attempts: message.attempts, id: message.id });
    if (message.body.n < 0) throw new Error("negative");
  },
  { maxRetries: 2, deadLetter: "jobs-dlq", retryDelaySeconds: 30 },
);
app.queue("jobs-dlq", async () => undefined);
app.cron("*/5 * * * *", async (event) => {
  fired.push({
    cron: event.cron,
    scheduledTime: event.scheduledTime,
    ...(event.executionId ? { executionId: event.executionId } : {}),
  });
});

let pubsub: PubSubStandIn;
let http: FrameworkServer;
let events: FrameworkServer;

beforeAll(async () => {
  pubsub = await startPubSubStandIn();
  toGcp(app, {
    env: {
      TURSO_DATABASE_URL: tempDbUrl("skiff-gcp-fn"),
      PUBSUB_EMULATOR_HOST: pubsub.host,
      GOOGLE_CLOUD_PROJECT: "p1",
    },
    functions: { http: "fnHttp", event: "fnEvent" },
    topics: { jobs: "shop-jobs" },
    cronTopic: "shop-cron",
  });
  http = await serveFunction("fnHttp");
  events = await serveFunction("fnEvent");
});
afterAll(async () => {
  await http?.close();
  await events?.close();
  await pubsub?.close();
});

const event = (over: Partial<Parameters<typeof postPubSubEvent>[1]> & { data: string }) => ({
  project: "p1",
  topic: "shop-jobs",
  messageId: crypto.randomUUID(),
  publishTime: new Date(),
  ...over,
});

describe("the HTTP function on the Functions Framework", () => {
  it("streams a response body chunk by chunk, before the app has finished it", async () => {
    const res = await fetch(`${http.url}/stream`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("first;");
    release();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read())
      rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("second");
  });

  it("hands the app the raw body of a POST, whatever the content type the framework parsed", async () => {
    const bytes = [0, 255, 1, 128, 10];
    for (const type of ["application/octet-stream", "text/plain", "application/x-www-form-urlencoded"]) {
      const res = await fetch(`${http.url}/echo?q=a%20b&x=1`, {
        method: "POST",
        headers: { "content-type": type },
        body: new Uint8Array(bytes),
      });
      const got = (await res.json()) as { type: string; bytes: number[]; url: string };
      expect(got.type).toBe(type);
      expect(got.bytes).toEqual(bytes);
      expect(got.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/echo\?q=a%20b&x=1$/);
    }
    const json = await fetch(`${http.url}/json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":[1,"é"]}',
    });
    expect(await json.json()).toEqual({ a: [1, "é"] });
  });

  it("keeps every Set-Cookie apart", async () => {
    const res = await fetch(`${http.url}/cookies`);
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("answers a thrown error with a problem+json 500 that names nothing internal", async () => {
    const res = await fetch(`${http.url}/boom`);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.text()).not.toContain("secret");
  });

  it("answers a body the framework cannot parse with problem+json once the instance has served a request", async () => {
    await fetch(`${http.url}/cookies`);
    const res = await fetch(`${http.url}/json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.text()).not.toContain("SyntaxError");
  });

  it("finishes waitUntil work before the response completes (Cloud Run throttles CPU after it)", async () => {
    const res = await fetch(`${http.url}/later`);
    expect(await res.text()).toBe("soon");
    expect(lines.some((l) => l.msg === "background done")).toBe(true);
  });
});

describe("the event function with Pub/Sub CloudEvents", () => {
  it("delivers a message from the mapped topic, in binary and structured mode, and acks it with 2xx", async () => {
    for (const mode of ["binary", "structured"] as const) {
      const id = crypto.randomUUID();
      const res = await postPubSubEvent(
        events.url,
        event({ data: JSON.stringify({ n: 7 }), messageId: id, deliveryAttempt: 1 }),
        mode,
      );
      expect(res.status).toBe(204);
      expect(seen.find((s) => s.id === id)).toEqual({ n: 7, attempts: 1, id });
    }
  });

  it("retries a failing message with a 500, maps deliveryAttempt to attempts, and dead-letters past maxRetries", async () => {
    const id = crypto.randomUUID();
    const data = JSON.stringify({ n: -1 });
    for (const attempt of [1, 2]) {
      const res = await postPubSubEvent(events.url, event({ data, messageId: id, deliveryAttempt: attempt }));
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain("negative");
    }
    const before = pubsub.bodies("jobs-dlq").length;
    const last = await postPubSubEvent(events.url, event({ data, messageId: id, deliveryAttempt: 3 }));
    expect(last.status).toBe(204);
    expect(seen.filter((s) => s.id === id).map((s) => s.attempts)).toEqual([1, 2, 3]);
    expect(pubsub.bodies("jobs-dlq").slice(before)).toEqual([{ n: -1 }]);
    const call = pubsub.calls.at(-1);
    expect(call?.path).toBe("/v1/projects/p1/topics/jobs-dlq:publish");
    expect(call?.messages[0]?.attributes).toEqual({ "skiff-queue": "jobs-dlq" });
  });

  it("counts a delivery without deliveryAttempt as the first and says so once per queue", async () => {
    const count = () => lines.filter((l) => l.msg.includes("sent no deliveryAttempt")).length;
    const before = count();
    for (let i = 0; i < 2; i++) {
      const id = crypto.randomUUID();
      expect(
        (await postPubSubEvent(events.url, event({ data: JSON.stringify({ n: 1 }), messageId: id }))).status,
      ).toBe(204);
      expect(seen.find((s) => s.id === id)?.attempts).toBe(1);
    }
    expect(count() - before).toBeLessThanOrEqual(1);
    expect(count()).toBe(1);
  });

  it("said at start-up that Pub/Sub cannot delay a retry by retryDelaySeconds", () => {
    expect(lines.filter((l) => l.msg.includes("cannot delay the retry")).map((l) => l.msg)).toEqual([
      expect.stringContaining('"jobs" (30 s)'),
    ]);
  });

  it("accepts a push subscription's own body (the framework reshapes it into the CloudEvent)", async () => {
    const id = crypto.randomUUID();
    const res = await fetch(`${events.url}/projects/p1/topics/shop-jobs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        message: {
          data: Buffer.from('{"n":3}').toString("base64"),
          messageId: id,
          publishTime: new Date().toISOString(),
        },
        subscription: "projects/p1/subscriptions/jobs-push",
      }),
    });
    expect(res.status).toBe(204);
    expect(seen.find((s) => s.id === id)?.n).toBe(3);
  });

  it("runs the cron a Cloud Scheduler message names, at its scheduled minute, and fails an unknown one", async () => {
    const id = crypto.randomUUID();
    const scheduled = Date.UTC(2026, 0, 2, 9, 5);
    const res = await postPubSubEvent(
      events.url,
      event({
        topic: "shop-cron",
        data: '{"cron":"*/5 * * * *"}',
        messageId: id,
        publishTime: new Date(scheduled + 2_300),
      }),
    );
    expect(res.status).toBe(204);
    expect(fired.at(-1)).toEqual({ cron: "*/5 * * * *", scheduledTime: scheduled, executionId: id });
    const unknown = await postPubSubEvent(
      events.url,
      event({ topic: "shop-cron", data: '{"cron":"1 2 * * *"}' }),
    );
    expect(unknown.status).toBe(500);
    const malformed = await postPubSubEvent(events.url, event({ topic: "shop-cron", data: "hello" }));
    expect(malformed.status).toBe(500);
  });

  it("refuses an event that is not a Pub/Sub message instead of acking it", async () => {
    const res = await fetch(events.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "ce-id": "1",
        "ce-specversion": "1.0",
        "ce-source": "//storage.googleapis.com/projects/_/buckets/b",
        "ce-type": "google.cloud.storage.object.v1.finalized",
      },
      body: JSON.stringify({ name: "a.txt" }),
    });
    expect(res.status).toBe(500);
  });
});

describe("toGcp options", () => {
  it("refuses, at setup, a topic map naming an undeclared queue, a bad topic id and a bad function name", () => {
    expect(() => toGcp(app, { functions: false, topics: { nope: "shop-nope" } })).toThrow(
      /\[skiff\].*does not declare/,
    );
    expect(() => toGcp(app, { functions: false, topics: { jobs: "goog-x" } })).toThrow(/topics\["jobs"\]/);
    expect(() => toGcp(app, { functions: false, cronTopic: "x" })).toThrow(/cronTopic/);
    expect(() => toGcp(app, { functions: { http: "1bad" } })).toThrow(/functions\.http/);
  });
});
