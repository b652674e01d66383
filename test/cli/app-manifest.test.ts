import { describe, expect, it } from "vitest";
import { repo, fixtures, manifestOf } from "./support/config.js";

describe("the app manifest the CLI works from", () => {
  it("lists endpoints with the middleware that runs before each, crons with their next run, and queues", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    expect(manifest.routes).toEqual([
      {
        method: "GET",
        path: "/api/health",
        middleware: ["skiffBindings", "requestTimer"],
        handler: "health",
      },
      {
        method: "POST",
        path: "/api/jobs",
        middleware: ["skiffBindings", "requestTimer"],
        handler: "enqueue",
      },
    ]);
    expect(manifest.crons).toEqual([
      { expression: "*/15 * * * *", handlers: 1, next: "2026-01-01T10:15:00.000Z" },
      { expression: "0 3 * * MON-FRI", handlers: 1, next: "2026-01-02T03:00:00.000Z" },
    ]);
    expect(manifest.queues).toEqual([
      {
        name: "jobs",
        declared: true,
        consumer: {
          kind: "message",
          options: {
            maxRetries: 1,
            deadLetter: "jobs-dead",
            retryDelaySeconds: 0,
            maxBatchSize: 5,
            maxBatchTimeoutSeconds: 2,
            visibilityTimeoutSeconds: 30,
          },
        },
        deadLetterFor: [],
      },
      { name: "jobs-dead", declared: false, consumer: null, deadLetterFor: ["jobs"] },
    ]);
  });

  it("reads the example shop: its routes, the daily report cron, both order queues and the two workflows", async () => {
    const manifest = await manifestOf(repo, "examples/shop/app.ts");
    expect(manifest.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /",
      "GET /api/users",
      "POST /api/users",
      "POST /api/orders",
      "GET /api/orders/:id",
      "GET /api/reports/latest",
      "GET /api/stats",
      "POST /api/checkouts",
      "GET /api/checkouts/:id",
      "POST /api/checkouts/:id/review",
      "DELETE /api/checkouts/:id",
      "POST /api/reports/inventory",
      "GET /api/reports/inventory/:id",
    ]);
    expect(manifest.routes[0]?.middleware).toEqual(["skiffBindings", "requestId", "logger"]); // "/" is outside /api/*
    expect(manifest.routes[3]?.middleware).toEqual([
      "skiffBindings",
      "requestId",
      "logger",
      "bodyLimit",
      "rateLimit",
      "countRequests",
      "apiKeyAuth",
      "idempotency",
      "validate",
    ]);
    // The workflow timer cron runs daily in the shop (new Skiff({ workflowTimers: "0 0 * * *" })), for Vercel Hobby.
    expect(manifest.crons).toEqual([
      { expression: "0 9 * * *", handlers: 1, next: "2026-01-02T09:00:00.000Z" },
      { expression: "0 0 * * *", handlers: 1, next: "2026-01-02T00:00:00.000Z" },
    ]);
    expect(manifest.workflowTimerCron).toBe("0 0 * * *");
    expect(manifest.workflows).toEqual([
      { name: "checkout", implemented: true },
      { name: "inventory-report", implemented: true },
    ]);
    expect(
      manifest.queues.map((q) => [q.name, q.consumer?.options.maxRetries, q.consumer?.options.deadLetter]),
    ).toEqual([
      ["orders", 2, "orders-dlq"],
      ["orders-dlq", 3, null],
      ["skiff-workflows", 20, null],
    ]);
  });
});
