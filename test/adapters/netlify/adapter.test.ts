import { createClient } from "@libsql/client";
import type { Context } from "@netlify/functions";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { toNetlify, type NetlifyContext } from "skiff/netlify";
import { scheduledTimeOf } from "../../../src/adapters/netlify/scheduled.js";
import { renderNetlify } from "../../../src/triggers/cron/render-netlify.js";
import { tempDbUrl } from "../../contract/node-driver.js";
import { netlifyContext, scheduledRequest } from "./support/context.js";

const at = (iso: string) => Date.parse(iso);

function demo() {
  const delivered: string[] = [];
  const app = new Skiff({ queues: { jobs: z.object({ id: z.string() }) } });
  app.get("/who", (c) => {
    const { context } = c.env as { context: NetlifyContext };
    return c.json({ ip: context.ip, city: context.geo.city, requestId: context.requestId });
  });
  app.post("/jobs/:id", async (c) => {
    await c.var.queues.jobs.send({ id: c.req.param("id") });
    return c.body(null, 202);
  });
  app.queue("jobs", (message) => void delivered.push(message.body.id));
  app.cron("0 9 * * MON-FRI", () => undefined);
  const functions = toNetlify(app, {
    env: { TURSO_DATABASE_URL: tempDbUrl("skiff-netlify-unit") },
    createClient,
  });
  return { functions, delivered };
}

describe("the Netlify adapter", () => {
  it("takes Netlify's own Context", () => {
    expectTypeOf<Context>().toMatchTypeOf<NetlifyContext>();
  });

  it("gives the app Netlify's context on c.env.context, where hono/netlify's getConnInfo reads it", async () => {
    const { functions } = demo();
    const request = new Request("https://shop.netlify.app/who");
    const context = netlifyContext(request);
    const body = (await (await functions.fetch(request, context)).json()) as Record<string, string>;
    expect(body).toEqual({ ip: "203.0.113.9", city: "Paris", requestId: context.requestId });
  });

  it("delivers what a request sent after its response, in context.waitUntil", async () => {
    const { functions, delivered } = demo();
    const request = new Request("https://shop.netlify.app/jobs/j1", { method: "POST" });
    const background: Promise<unknown>[] = [];
    const response = await functions.fetch(request, netlifyContext(request, background));
    expect(response.status).toBe(202);
    expect(background.length).toBeGreaterThan(0);
    await Promise.all(background);
    await functions.settle();
    expect(delivered).toEqual(["j1"]);
  });

  it("refuses, when the function file loads, a cron the app does not register", () => {
    expect(() => demo().functions.cron("5 4 * * *")).toThrow(
      /^\[skiff\] toNetlify\(app\)\.cron\("5 4 \* \* \*"\).*skiff build --target netlify/,
    );
  });

  it("answers a drain run by hand for an unknown queue with 404 problem+json", async () => {
    const request = scheduledRequest("skiff-queues?queue=nope", undefined);
    const response = await demo().functions.drain(request, netlifyContext(request));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("names a drain budget longer than a scheduled function may run", () => {
    expect(() => toNetlify(new Skiff(), { drainBudgetMs: 40_000 })).toThrow(/drainBudgetMs.*30 s/);
  });
});

describe("the time a scheduled invocation stands for", () => {
  it("is the occurrence before next_run, however late the run starts", () => {
    const next = at("2026-01-03T09:00:00Z");
    expect(scheduledTimeOf("0 9 * * *", next, at("2026-01-02T09:04:41Z"))).toBe(at("2026-01-02T09:00:00Z"));
    expect(scheduledTimeOf("*/15 * * * *", at("2026-01-02T09:30:00Z"), at("2026-01-02T09:16:02Z"))).toBe(
      at("2026-01-02T09:15:00Z"),
    );
  });

  it("is the latest occurrence at or before now without a usable next_run", () => {
    expect(scheduledTimeOf("0 9 * * *", undefined, at("2026-01-02T09:00:12Z"))).toBe(
      at("2026-01-02T09:00:00Z"),
    );
    // A next_run whose previous occurrence is still ahead is not Netlify's: ignored.
    expect(scheduledTimeOf("0 9 * * *", at("2027-01-03T09:00:00Z"), at("2026-01-02T09:00:12Z"))).toBe(
      at("2026-01-02T09:00:00Z"),
    );
  });
});

describe("Netlify's schedule syntax", () => {
  it("spells names as crontab numbers and keeps steps, ranges and lists", () => {
    expect(renderNetlify("0 9 * * MON-FRI")).toBe("0 9 * * 1-5");
    expect(renderNetlify("*/15 8-18/2 1,15 JAN,JUL SUN")).toBe("*/15 8-18/2 1,15 1,7 0");
  });

  it("refuses the Quartz extensions crontab lacks, at generation", () => {
    expect(() => renderNetlify("0 9 L * *")).toThrow(
      /\[skiff\] cron "0 9 L \* \*": Netlify .* not L, W or #/,
    );
    expect(() => renderNetlify("0 9 * * MON#2")).toThrow(/not L, W or #/);
  });
});
