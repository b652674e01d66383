import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { toAzure } from "skiff/azure";
import { type Azurite, startAzurite } from "./support/azurite.js";
import {
  installFunctionsHost,
  invoke,
  registeredFunction,
  resetFunctionsHost,
} from "./support/functions-host.js";
import { type ServiceBusStandIn, startServiceBusStandIn } from "./support/service-bus-stand-in.js";
import {
  rpcHttpRequest,
  serviceBusMetadata,
  storageQueueMetadata,
  timerData,
  webResponse,
} from "./support/rpc.js";

const Job = z.object({ id: z.string(), fail: z.boolean().optional() });
const lines: Array<{ level: string; msg: string; [k: string]: unknown }> = [];
const seen: Array<{ id: string; attempts: number; queue: string }> = [];
const fired: number[] = [];

function makeApp() {
  const app = new Skiff({
    queues: { jobs: Job, "jobs-dead": Job, bus: Job, "bus-dead": Job },
    log: { sink: (record) => lines.push(record as unknown as (typeof lines)[number]) },
  });
  app.get("/hello/:name", (c) => c.json({ hello: c.req.param("name"), path: new URL(c.req.url).pathname }));
  app.get("/cookies", (c) => {
    c.header("set-cookie", "a=1; Path=/; HttpOnly", { append: true });
    c.header("set-cookie", "b=2; Path=/x; Secure; SameSite=Lax; Max-Age=60", { append: true });
    return c.text("ok");
  });
  app.post("/echo", async (c) => c.text(await c.req.text()));
  app.post("/send", async (c) => {
    await c.var.queues.jobs.send({ id: "from-http" });
    await c.var.queues.bus.send({ id: "to-bus" }, { delaySeconds: 30 });
    return c.body(null, 204);
  });
  app.queue(
    "jobs",
    async (m) => {
      seen.push({ id: m.body.id, attempts: m.attempts, queue: "jobs" });
      if (m.body.fail) throw new Error("job failed");
    },
    { maxRetries: 2, deadLetter: "jobs-dead", retryDelaySeconds: 30 },
  );
  app.queue(
    "bus",
    async (m) => {
      seen.push({ id: m.body.id, attempts: m.attempts, queue: "bus" });
      if (m.body.fail) throw new Error("bus job failed");
    },
    { maxRetries: 1, deadLetter: "bus-dead" },
  );
  app.cron("*/15 9-17 * * MON-FRI", async (event) => {
    fired.push(event.scheduledTime);
  });
  return app;
}

describe("toAzure registers the app with @azure/functions and runs it through the library's invocation model", () => {
  let azurite: Azurite;
  let bus: ServiceBusStandIn;
  let registration: ReturnType<typeof toAzure>;
  let clock = Date.UTC(2026, 0, 5, 9, 30, 1); // a Monday

  beforeAll(async () => {
    installFunctionsHost();
    resetFunctionsHost();
    [azurite, bus] = await Promise.all([startAzurite(), startServiceBusStandIn()]);
    registration = toAzure(makeApp(), {
      env: {
        TURSO_DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "skiff-azure-fn-")), "test.db")}`,
        AzureWebJobsStorage: azurite.connectionString,
        ShopBus: bus.connectionString(),
      },
      queues: {
        bus: { kind: "serviceBus", connection: "ShopBus" },
        "bus-dead": { kind: "serviceBus", connection: "ShopBus" },
      },
      now: () => clock,
    });
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), bus?.close()]);
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it("registers one anonymous catch-all HTTP function, a timer per cron in NCRONTAB, and a trigger per consumed queue", () => {
    const http = registeredFunction("http").metadata.bindings;
    const trigger = Object.values(http).find((b) => b.direction === "in");
    expect(trigger).toMatchObject({ type: "httpTrigger", route: "{*path}", authLevel: "anonymous" });
    expect(trigger?.methods).toEqual(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
    expect(Object.values(http).find((b) => b.direction === "out")).toMatchObject({ type: "http" });

    expect(registration.crons).toHaveLength(1);
    const cron = registration.crons[0] as (typeof registration.crons)[number];
    expect(cron).toMatchObject({ cron: "*/15 9-17 * * MON-FRI", schedule: "0 */15 9-17 * * MON-FRI" });
    expect(cron.name).toMatch(/^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/);
    const timer = Object.values(registeredFunction(cron.name).metadata.bindings)[0];
    expect(timer).toMatchObject({ type: "timerTrigger", schedule: "0 */15 9-17 * * MON-FRI" });

    const jobs = Object.values(registeredFunction("queue_jobs").metadata.bindings)[0];
    expect(jobs).toMatchObject({
      type: "queueTrigger",
      queueName: "jobs",
      connection: "AzureWebJobsStorage",
    });
    const busTrigger = Object.values(registeredFunction("queue_bus").metadata.bindings)[0];
    expect(busTrigger).toMatchObject({ type: "serviceBusTrigger", queueName: "bus", connection: "ShopBus" });
    // Only consumed queues get a trigger; the dead-letter queues are only sent to.
    expect(registration.queues.map((q) => q.queue).sort()).toEqual(["bus", "jobs"]);
  });

  it("serves routes with the full path and method, and keeps every Set-Cookie (the host keeps one header per name)", async () => {
    const hello = webResponse(
      await invoke("http", await rpcHttpRequest(new Request("https://shop.azurewebsites.net/hello/ada?x=1"))),
    );
    expect(await hello.json()).toEqual({ hello: "ada", path: "/hello/ada" });

    const cookies = webResponse(
      await invoke("http", await rpcHttpRequest(new Request("https://shop.azurewebsites.net/cookies"))),
    );
    expect(cookies.headers.getSetCookie()).toEqual([
      "a=1; Path=/; HttpOnly",
      "b=2; Path=/x; Max-Age=60; Secure; SameSite=Lax",
    ]);

    const body = "héllo ".repeat(1000);
    const echo = webResponse(
      await invoke(
        "http",
        await rpcHttpRequest(new Request("https://shop.azurewebsites.net/echo", { method: "POST", body })),
      ),
    );
    expect(await echo.text()).toBe(body);
  });

  it("sends from a route to a real Storage queue and to Service Bus with a scheduled enqueue time", async () => {
    const res = webResponse(
      await invoke("http", await rpcHttpRequest(new Request("https://shop.test/send", { method: "POST" }))),
    );
    expect(res.status).toBe(204);
    expect(await azurite.peek("jobs")).toEqual([{ id: "from-http" }]);
    const [sent] = bus.received("bus");
    expect(sent?.body).toEqual({ id: "to-bus" });
    const at = Date.parse(String(sent?.brokerProperties.ScheduledEnqueueTimeUtc));
    expect(at - Date.now()).toBeGreaterThan(25_000);
    expect(at - Date.now()).toBeLessThan(35_000);
    expect(bus.refused).toEqual([]);
  });

  it("fires a timer with the occurrence it stands for, in UTC", async () => {
    fired.length = 0;
    const name = registration.crons[0]?.name ?? "";
    await invoke(name, timerData(Date.UTC(2026, 0, 5, 9, 15), Date.UTC(2026, 0, 5, 9, 30)));
    expect(fired).toEqual([Date.UTC(2026, 0, 5, 9, 30)]);
  });

  it("maps dequeueCount to attempts, retries a failure by throwing, and dead-letters once maxRetries is spent", async () => {
    const ok = JSON.stringify({ id: "ok" });
    await invoke("queue_jobs", { string: ok }, storageQueueMetadata("m1", ok, 1));
    expect(seen).toEqual([{ id: "ok", attempts: 1, queue: "jobs" }]);

    const bad = JSON.stringify({ id: "bad", fail: true });
    // Attempts 1 and 2 of maxRetries 2 + 1 throw, so the host makes the message visible again (dequeueCount + 1).
    for (const attempt of [1, 2, 3].slice(0, 2))
      await expect(
        invoke("queue_jobs", { string: bad }, storageQueueMetadata("m2", bad, attempt)),
      ).rejects.toThrow(/retried/);
    // The third (dequeueCount 3 = maxRetries + 1) fails too: skiff sends it to jobs-dead and returns, so the host
    // deletes it and never needs its poison queue.
    await invoke("queue_jobs", { string: bad }, storageQueueMetadata("m2", bad, 3));
    expect(seen.map((s) => s.attempts)).toEqual([1, 1, 2, 3]);
    expect(await azurite.peek("jobs-dead")).toEqual([{ id: "bad", fail: true }]);
  });

  it("dead-letters a body that fails its schema at once, and a text that is not JSON", async () => {
    const before = (await azurite.peek("jobs-dead")).length;
    await invoke("queue_jobs", { string: JSON.stringify({ nope: 1 }) }, storageQueueMetadata("m3", "{}", 1));
    await invoke("queue_jobs", { string: "plain text" }, storageQueueMetadata("m4", "plain text", 1));
    expect((await azurite.peek("jobs-dead")).slice(before)).toEqual([{ nope: 1 }, "plain text"]);
    expect(seen).toEqual([]);
  });

  it("maps Service Bus deliveryCount to attempts and sends the spent message to the Service Bus dead letter", async () => {
    const bad = JSON.stringify({ id: "sb-bad", fail: true });
    await expect(invoke("queue_bus", { string: bad }, serviceBusMetadata("sb1", 1))).rejects.toThrow(
      /retried/,
    );
    await invoke("queue_bus", { string: bad }, serviceBusMetadata("sb1", 2));
    expect(seen).toEqual([
      { id: "sb-bad", attempts: 1, queue: "bus" },
      { id: "sb-bad", attempts: 2, queue: "bus" },
    ]);
    expect(bus.received("bus-dead").map((m) => m.body)).toEqual([{ id: "sb-bad", fail: true }]);
  });

  it("throws on the last attempt when the dead-letter send fails, so the host moves the message to <queue>-poison", async () => {
    resetFunctionsHost();
    toAzure(makeApp(), {
      env: {
        TURSO_DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "skiff-azure-poison-")), "test.db")}`,
        AzureWebJobsStorage: azurite.connectionString,
        // The dead-letter queue's account refuses the key: skiff cannot dead-letter, so it must not ack.
        BrokenStorage: azurite.connectionString.replace(/AccountKey=[^;]+/, "AccountKey=bm90IHRoZSBrZXk="),
        ShopBus: bus.connectionString(),
      },
      queues: { "jobs-dead": { connection: "BrokenStorage" } },
    });
    const bad = JSON.stringify({ id: "poisoned", fail: true });
    await expect(invoke("queue_jobs", { string: bad }, storageQueueMetadata("m9", bad, 3))).rejects.toThrow(
      /retried/,
    );
    expect(lines.some((l) => l.level === "error" && l.msg.includes("dead-letter send failed"))).toBe(true);
    expect(await azurite.peek("jobs-dead")).not.toContainEqual({ id: "poisoned", fail: true });
  });
  it("delays a retried Storage message by setting its visibility before the host sees the failure", async () => {
    await azurite.put("delays", JSON.stringify({ id: "later", fail: true }));
    // Received as the host receives it, with a 1 s lease; the jobs consumer retries with retryDelaySeconds 30.
    const [received] = await azurite.receive("delays", 1);
    const { id, popReceipt, text } = received as { id: string; popReceipt: string; text: string };
    resetFunctionsHost();
    toAzure(makeApp(), {
      env: {
        TURSO_DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "skiff-azure-delay-")), "test.db")}`,
        AzureWebJobsStorage: azurite.connectionString,
        ShopBus: bus.connectionString(),
      },
      queues: { jobs: { queueName: "delays" } },
    });
    const metadata = { ...storageQueueMetadata(id, text, 1), PopReceipt: { string: popReceipt } };
    await expect(invoke("queue_jobs", { string: text }, metadata)).rejects.toThrow(/retried/);
    // Past the 1 s lease the message is still invisible: skiff set it to 30 s. The host's own release, with the old
    // pop receipt, is refused, so it cannot make the message visible early.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await azurite.peek("delays")).toEqual([]);
    expect([400, 404]).toContain(await azurite.updateVisibility("delays", id, popReceipt, 0));
    expect(await azurite.peek("delays")).toEqual([]);
  });

  it("says at start-up that a Service Bus consumer's retry delay cannot be honoured", () => {
    const warnings = lines.filter((l) => l.level === "warn" && l.msg.includes("not honoured on Service Bus"));
    expect(warnings).toEqual([]); // the bus consumer has no retryDelaySeconds
    resetFunctionsHost();
    toAzure(makeApp(), { env: {}, queues: { jobs: { kind: "serviceBus" } } });
    expect(
      lines
        .filter((l) => l.level === "warn" && l.msg.includes("not honoured on Service Bus"))
        .map((l) => l.queue),
    ).toEqual(["jobs"]);
  });
});

describe("toAzure at start-up", () => {
  const cronApp = () => {
    const app = new Skiff({});
    app.cron("0 9 * * *", () => undefined);
    return app;
  };
  const functions = {
    http: () => undefined,
    timer: () => undefined,
    storageQueue: () => undefined,
    serviceBusQueue: () => undefined,
  };

  it("refuses a WEBSITE_TIME_ZONE other than UTC unless cronTimeZone is website", () => {
    expect(() =>
      toAzure(cronApp(), { env: { WEBSITE_TIME_ZONE: "Pacific Standard Time" }, functions }),
    ).toThrow(/WEBSITE_TIME_ZONE is "Pacific Standard Time".*cronTimeZone: "website"/);
    expect(() => toAzure(cronApp(), { env: { WEBSITE_TIME_ZONE: "UTC" }, functions })).not.toThrow();
    expect(() =>
      toAzure(cronApp(), {
        env: { WEBSITE_TIME_ZONE: "Pacific Standard Time" },
        functions,
        cronTimeZone: "website",
      }),
    ).not.toThrow();
  });

  it("refuses a cron NCRONTAB cannot express, and bad options, naming them", () => {
    const app = new Skiff({});
    app.cron("0 0 L * *", () => undefined);
    expect(() => toAzure(app, { env: {}, functions })).toThrow(
      /\[skiff\] toAzure: cron "0 0 L \* \*".*no L, W or #/,
    );
    const queues = new Skiff({ queues: { Jobs: Job } });
    queues.queue("Jobs", () => undefined);
    expect(() => toAzure(queues, { env: {}, functions })).toThrow(
      /Storage queue "Jobs", which Azure refuses.*queueName/,
    );
    expect(() =>
      toAzure(queues, { env: {}, functions, queues: { Jobs: { queueName: "jobs" } } }),
    ).not.toThrow();
    expect(() => toAzure(queues, { env: {}, functions, queues: { nope: {} } })).toThrow(
      /queues\["nope"\] names a queue/,
    );
  });
});
