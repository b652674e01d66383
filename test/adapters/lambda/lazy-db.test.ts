import { describe, expect, it } from "vitest";
import { ConfigError, type LogRecord, Skiff, sql } from "skiff";
import { type ApiGatewayV2Result, type SqsBatchResponse, scheduleInput, toLambda } from "skiff/lambda";
import { z } from "zod";
import { tempDbUrl } from "../../contract/node-driver.js";
import { httpEvent, sqsEvent } from "./support/events.js";

/**
 * On Lambda, `TURSO_DATABASE_URL` is read at the first query: an invocation that uses no database still runs
 * without it, and one that does fails with a message that says where a user of the package sets it.
 */
function lazyApp() {
  const logs: LogRecord[] = [];
  const ran: string[] = [];
  const app = new Skiff({
    queues: { pings: z.object({ n: z.number() }), rows: z.object({ n: z.number() }) },
    log: { sink: (record) => logs.push(record) },
  });
  app.get("/plain", (c) => c.text("no binding here"));
  app.get("/count", async (c) => c.json(await c.var.db.get(sql`SELECT 1 AS one`)));
  app.get("/kv", async (c) => c.text((await c.var.kv.get("k")) ?? "missing"));
  app.cron("0 * * * *", (event) => {
    ran.push(`cron ${event.cron}`);
  });
  app.cron("30 * * * *", async (_event, ctx) => {
    await ctx.db.run(sql`SELECT 1`);
    ran.push("db cron");
  });
  app.queue("pings", (message) => {
    ran.push(`ping ${message.body.n}`);
  });
  app.queue("rows", async (message, ctx) => {
    await ctx.db.run(sql`SELECT ${message.body.n}`);
    ran.push(`row ${message.body.n}`);
  });
  return { app, logs, ran };
}

const get = async (path: string) =>
  httpEvent(new Request(`https://fn.lambda-url.us-east-1.on.aws${path}`), "apigw-v2");

describe("a missing TURSO_DATABASE_URL fails only the invocations that use the database", () => {
  it("serves routes, crons and queue messages that touch no binding", async () => {
    const { app, ran } = lazyApp();
    const handler = toLambda(app, { env: {} });
    const plain = (await handler(await get("/plain"))) as ApiGatewayV2Result;
    expect(plain).toMatchObject({ statusCode: 200, body: "no binding here" });
    expect(await handler({ ...scheduleInput("0 * * * *"), scheduledTime: 0 })).toBeUndefined();
    expect(await handler(sqsEvent("pings", [{ id: "p1", body: { n: 1 } }]))).toEqual({
      batchItemFailures: [],
    });
    expect(ran).toEqual(["cron 0 * * * *", "ping 1"]);
  });

  it("answers a route that uses db or kv with a 500 that leaks nothing, and logs what to set", async () => {
    const { app, logs } = lazyApp();
    const handler = toLambda(app, { env: {} });
    for (const path of ["/count", "/kv"]) {
      const result = (await handler(await get(path))) as ApiGatewayV2Result;
      expect(result.statusCode).toBe(500);
      expect(result.headers["content-type"]).toBe("application/problem+json");
      expect(result.body).not.toContain("TURSO");
    }
    const errors = logs
      .filter((r) => r.level === "error")
      .map((r) => r.error as { name: string; message: string });
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error.name).toBe("ConfigError");
      expect(error.message).toContain("[skiff] TURSO_DATABASE_URL is not set");
      expect(error.message).toContain("in the function's environment");
      // The advice is for a user of the package: no script of this repository.
      expect(error.message).not.toContain("npm run");
    }
  });

  it("fails a cron that uses db with a ConfigError naming the variable, and a queue message with a retry", async () => {
    const { app, ran } = lazyApp();
    const handler = toLambda(app, { env: {} });
    const error = await handler({ ...scheduleInput("30 * * * *"), scheduledTime: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("TURSO_DATABASE_URL");
    expect((error as ConfigError).message).toContain("in the function's environment");
    const batch = (await handler(sqsEvent("rows", [{ id: "r1", body: { n: 1 } }]))) as SqsBatchResponse;
    expect(batch.batchItemFailures).toEqual([{ itemIdentifier: "r1" }]);
    expect(ran).toEqual([]);
  });

  it("reads the variable again at the next query, so setting it fixes the same execution environment", async () => {
    const { app, ran } = lazyApp();
    const env: Record<string, string | undefined> = {};
    const handler = toLambda(app, { env });
    expect(((await handler(await get("/count"))) as ApiGatewayV2Result).statusCode).toBe(500);
    env.TURSO_DATABASE_URL = tempDbUrl("skiff-lambda-lazy");
    const count = (await handler(await get("/count"))) as ApiGatewayV2Result;
    expect(count).toMatchObject({ statusCode: 200, body: '{"one":1}' });
    expect(await handler(sqsEvent("rows", [{ id: "r2", body: { n: 2 } }]))).toEqual({
      batchItemFailures: [],
    });
    expect(ran).toEqual(["row 2"]);
  });
});
