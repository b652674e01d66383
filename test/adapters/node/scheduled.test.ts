import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Skiff, type LogRecord } from "skiff";
import { serve, type SkiffServer } from "skiff/node";

const logs: LogRecord[] = [];
const fired: number[] = [];
let server: SkiffServer;
beforeAll(async () => {
  const app = new Skiff({ log: { sink: (record) => void logs.push(record) } });
  app.cron("0 9 * * *", (event) => void fired.push(event.scheduledTime));
  app.cron("30 2 * * MON", () => {
    throw new Error("secret-connection-string postgres://admin:hunter2@db");
  });
  server = await serve(app, {
    port: 0,
    env: {},
    database: { url: ":memory:" },
    handleSignals: false,
    scheduler: false,
    queues: false,
    testScheduled: true,
  });
});
afterAll(() => server.close());

const scheduled = (query: string) => fetch(`${server.url}/__scheduled${query}`);

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ type: "about:blank", status });
  return body;
}

describe("/__scheduled: fire a cron by hand, as with wrangler dev --test-scheduled", () => {
  it("runs the handlers of a registered expression, whitespace-insensitive, at ?time= when given", async () => {
    const ok = await scheduled("?cron=0+9+*+*+*");
    expect([ok.status, await ok.text()]).toEqual([200, "Ran scheduled event"]);
    expect((await scheduled("?cron=0++9+*+*+*&time=1767258000000")).status).toBe(200);
    expect(fired.at(-1)).toBe(1767258000000);
    expect((await fetch(`${server.url}/__scheduled?cron=0+9+*+*+*`, { method: "POST" })).status).toBe(200);
  });

  it("answers a missing or invalid expression with 400", async () => {
    expect((await problem(await scheduled(""), 400)).detail).toMatch(/cron=/);
    const invalid = await problem(await scheduled("?cron=bogus"), 400);
    expect(invalid.detail).toMatch(/must have 5 fields/);
    expect((await problem(await scheduled("?cron=0+9+*+*+1-5"), 400)).detail).toMatch(/MON-FRI/);
    expect((await problem(await scheduled("?cron=99+9+*+*+*"), 400)).detail).toMatch(/minute 99/);
    expect((await problem(await scheduled("?cron=0+9+*+*+*&time=soon"), 400)).detail).toMatch(/time/);
  });

  it("answers an expression no handler is registered for with 404, listing the registered ones", async () => {
    const body = await problem(await scheduled("?cron=1+1+*+*+*"), 404);
    expect(body.detail).toContain('"1 1 * * *"');
    expect(body.registered).toEqual(["0 9 * * *", "30 2 * * MON"]);
  });

  it("answers a failing handler with a 500 that keeps the error text in the log, not the response", async () => {
    const response = await scheduled("?cron=30+2+*+*+MON");
    const text = await response.clone().text();
    const body = await problem(response, 500);
    expect(body.title).toBe("Internal Server Error");
    expect(text).not.toMatch(/hunter2|secret|postgres/);
    const failure = logs.find((r) => r.level === "error" && r.cron === "30 2 * * MON");
    expect(failure?.outcome).toBe("failed");
    expect(String((failure?.error as Error | undefined)?.message)).toContain("hunter2");
  });
});
