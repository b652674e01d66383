import { describe, expect, it } from "vitest";
import { repo, fixtures, manifestOf } from "./support/config.js";

describe("the app manifest the CLI works from", () => {
  it("lists endpoints with the middleware that runs before each, crons with their next run, and queues", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    expect(manifest.routes).toEqual([
      {
        method: "GET",
        path: "/api/health",
        middleware: ["requestTimer"],
        handler: "health",
      },
      {
        method: "POST",
        path: "/api/jobs",
        middleware: ["requestTimer"],
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

  it("reads the example shop: its routes, the daily report cron, its queues (orders, storage, changes) and the two workflows", async () => {
    const manifest = await manifestOf(repo, "examples/shop/app.ts");
    expect(manifest.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /",
      "GET /openapi.json",
      "GET /docs",
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
      // The thumbnails and userChanges sub-apps, mounted after the main routes (examples/shop/thumbnails.ts, changes.ts).
      "PUT /api/uploads/:key{.+}",
      "GET /api/uploads/:key{.+}",
      "GET /api/users/:id/welcome",
    ]);
    const byRoute = new Map(manifest.routes.map((r) => [`${r.method} ${r.path}`, r.middleware]));
    // "/", the OpenAPI document and its viewer are outside /api/*.
    for (const route of ["GET /", "GET /openapi.json", "GET /docs"])
      expect(byRoute.get(route)).toEqual(["requestId", "logger"]);
    // describeRoute and responds are middleware too (they carry the OpenAPI description), listed where they run.
    expect(byRoute.get("POST /api/orders")).toEqual([
      "requestId",
      "logger",
      "bodyLimit",
      "rateLimit",
      "countRequests",
      "apiKeyAuth",
      "idempotency",
      "describeRoute",
      "validate",
    ]);
    expect(byRoute.get("GET /api/users")).toEqual([
      "requestId",
      "logger",
      "bodyLimit",
      "rateLimit",
      "countRequests",
      "responds",
      "validate",
    ]);
    // A mounted sub-app's routes run after the parent's /api/* chain; uploads need the API key. The bindings are no
    // middleware: the router attaches them, so no route lists them.
    expect(byRoute.get("PUT /api/uploads/:key{.+}")).toEqual([
      "requestId",
      "logger",
      "bodyLimit",
      "rateLimit",
      "countRequests",
      "apiKeyAuth",
      "bodyLimit",
    ]);
    // The workflow timer cron and the change relay's backstop cron both run daily in the shop (Vercel Hobby): one
    // expression, two handlers.
    expect(manifest.crons).toEqual([
      { expression: "0 9 * * *", handlers: 1, next: "2026-01-02T09:00:00.000Z" },
      { expression: "0 0 * * *", handlers: 2, next: "2026-01-02T00:00:00.000Z" },
    ]);
    expect(manifest.workflowTimerCron).toBe("0 0 * * *");
    expect(manifest.workflows).toEqual([
      { name: "checkout", implemented: true },
      { name: "inventory-report", implemented: true },
    ]);
    expect(
      manifest.queues.map((q) => [
        q.name,
        q.consumer?.options.maxRetries ?? null,
        q.consumer?.options.deadLetter ?? null,
        q.deadLetterFor,
      ]),
    ).toEqual([
      ["orders", 2, "orders-dlq", []],
      ["orders-dlq", 3, null, ["orders"]],
      ["skiff-workflows", 20, null, []],
      // app.storage's dead letters: declared by the app, no consumer.
      ["thumbnails-dlq", null, null, ["skiff-storage-uploads"]],
      // The uploads bucket's storage queue (app.storage) and the change feed's queue (app.onChange).
      ["skiff-storage-uploads", 3, "thumbnails-dlq", []],
      ["skiff-changes", 20, null, []],
    ]);
  });
});
