import { describe, expect, it } from "vitest";
import { Skiff, type CronEvent } from "skiff";
import { cronSlug } from "skiff/adapter";
import { toVercel, type VercelEnv } from "skiff/vercel";

const SECRET = "s3cret-s3cret-s3cret";

// An app whose crons touch no binding, so these cases need no database.
function cronApp() {
  const runs: CronEvent[] = [];
  const app = new Skiff({ log: { level: "error", sink: () => undefined } });
  app.cron("0 9 * * *", (event) => void runs.push(event));
  app.cron("*/5 * * * *", (event) => void runs.push(event));
  app.cron("0 3 * * *", () => {
    throw new Error("internal detail that must not leak");
  });
  app.get("/api/hello", (c) => c.text("hello"));
  return { runs, app };
}

function handlersFor(env: VercelEnv, now = () => Date.UTC(2026, 0, 2, 9, 0, 30), basePath = "/api") {
  const { runs, app } = cronApp();
  return { runs, handlers: toVercel(app, { basePath, env, now, drainOnRequest: false }) };
}

const cronUrl = (expression: string, base = "/api") =>
  `https://shop.vercel.app${base}/__skiff/cron/${cronSlug(expression)}`;
const get = (url: string, headers: Record<string, string> = {}) => new Request(url, { headers });

describe("Vercel cron paths", () => {
  it("run every handler of the expression with the right secret, with the scheduled time and Vercel's request id", async () => {
    const { runs, handlers } = handlersFor({ CRON_SECRET: SECRET, VERCEL_ENV: "production" });
    const res = await handlers.GET(
      get(cronUrl("0 9 * * *"), { authorization: `Bearer ${SECRET}`, "x-vercel-id": "fra1::abc-123" }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      cron: "0 9 * * *",
      scheduledTime: "2026-01-02T09:00:00.000Z",
      ok: true,
    });
    expect(runs).toEqual([
      { cron: "0 9 * * *", scheduledTime: Date.UTC(2026, 0, 2, 9), executionId: "fra1::abc-123" },
    ]);
  });

  it.each([
    ["no Authorization header", {}],
    ["a wrong secret", { authorization: "Bearer not-the-secret" }],
    ["the secret without the Bearer scheme", { authorization: SECRET }],
    ["a prefix of the secret", { authorization: `Bearer ${SECRET.slice(0, -1)}` }],
    ["the secret with a suffix", { authorization: `Bearer ${SECRET}x` }],
  ])("answer 401 problem+json and run nothing for %s", async (_case, headers: Record<string, string>) => {
    const { runs, handlers } = handlersFor({ CRON_SECRET: SECRET });
    const res = await handlers.GET(get(cronUrl("0 9 * * *"), headers));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(runs).toEqual([]);
  });

  it.each([{ VERCEL_ENV: "production" }, { NODE_ENV: "production" }])(
    "refuse to run in production when CRON_SECRET is unset (%o), saying what to set",
    async (env) => {
      const { runs, handlers } = handlersFor(env);
      const res = await handlers.GET(get(cronUrl("0 9 * * *"), { authorization: "Bearer " }));
      expect(res.status).toBe(500);
      expect(((await res.json()) as { detail: string }).detail).toContain("CRON_SECRET is not set");
      expect(runs).toEqual([]);
    },
  );

  it("run without a secret in development, where CRON_SECRET is not set", async () => {
    const { runs, handlers } = handlersFor({ VERCEL_ENV: "development" });
    expect((await handlers.GET(get(cronUrl("0 9 * * *")))).status).toBe(200);
    expect(runs).toHaveLength(1);
  });

  it("take the occurrence being run as the scheduled time when Hobby invokes late, and the minute for a manual run", async () => {
    const at = (h: number, m: number, s = 0) => Date.UTC(2026, 0, 2, h, m, s);
    const fire = async (expression: string, now: number) => {
      const { runs, handlers } = handlersFor({ CRON_SECRET: SECRET }, () => now);
      await handlers.GET(get(cronUrl(expression), { authorization: `Bearer ${SECRET}` }));
      return runs[0]?.scheduledTime;
    };
    expect(await fire("0 9 * * *", at(9, 37, 12))).toBe(at(9, 0));
    expect(await fire("*/5 * * * *", at(9, 7, 30))).toBe(at(9, 5));
    expect(await fire("0 9 * * *", at(14, 2, 45))).toBe(at(14, 2)); // far from any occurrence: a manual run
  });

  it("accept a slug whose %2F a proxy decoded back into a slash", async () => {
    const { runs, handlers } = handlersFor({ CRON_SECRET: SECRET });
    const res = await handlers.GET(
      get("https://shop.vercel.app/api/__skiff/cron/*/5_*_*_*_*", { authorization: `Bearer ${SECRET}` }),
    );
    expect(res.status).toBe(200);
    expect(runs.map((r) => r.cron)).toEqual(["*/5 * * * *"]);
  });

  it("answer 404 for an expression with no handler, 500 without internals when a handler throws, 405 for POST", async () => {
    const { handlers } = handlersFor({ CRON_SECRET: SECRET });
    const auth = { authorization: `Bearer ${SECRET}` };
    expect((await handlers.GET(get(cronUrl("5 4 * * *"), auth))).status).toBe(404);
    const failed = await handlers.GET(get(cronUrl("0 3 * * *"), auth));
    expect(failed.status).toBe(500);
    expect(await failed.text()).not.toContain("internal detail");
    const post = await handlers.POST(new Request(cronUrl("0 9 * * *"), { method: "POST", headers: auth }));
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("live under the base path only; other paths reach the app unchanged", async () => {
    const { runs, handlers } = handlersFor({ CRON_SECRET: SECRET });
    const auth = { authorization: `Bearer ${SECRET}` };
    expect((await handlers.GET(get(cronUrl("0 9 * * *", ""), auth))).status).toBe(404); // the app's 404
    expect(await (await handlers.GET(get("https://shop.vercel.app/api/hello"))).text()).toBe("hello");
    expect(runs).toEqual([]);
    const root = handlersFor({ CRON_SECRET: SECRET }, undefined, "");
    expect((await root.handlers.GET(get(cronUrl("0 9 * * *", ""), auth))).status).toBe(200);
  });

  it("protect the queue drain path with the same secret and check its parameters", async () => {
    const { handlers } = handlersFor({ CRON_SECRET: SECRET });
    const drain = (query = "", headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }) =>
      handlers.GET(get(`https://shop.vercel.app/api/__skiff/queues/drain${query}`, headers));
    expect((await drain("", {})).status).toBe(401);
    expect((await drain("?queue=nope")).status).toBe(404);
    expect((await drain("?batches=0")).status).toBe(400);
    expect(await (await drain()).json()).toEqual({ delivered: {} }); // no consumers: nothing to do
  });
});
