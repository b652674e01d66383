import { ProblemError, Skiff, sql } from "skiff";
import {
  apiKeyAuth,
  apiReference,
  bodyLimit,
  describeRoute,
  idempotency,
  logger,
  openapi,
  rateLimit,
  requestId,
  responds,
  validate,
} from "skiff/middleware";
import { z } from "zod";
import { shopKeys } from "./auth.js";
import { userChanges } from "./changes.js";
import { assertActive, foundRun, runView, sameJson } from "./runs.js";
import {
  CheckoutInput,
  DeadOrder,
  InventoryReportInput,
  migrations,
  NewOrder,
  NewUser,
  Order,
  ReviewDecision,
  UserListQuery,
} from "./schema.js";
import { thumbnails } from "./thumbnails.js";
import { checkout, inventoryReport } from "./workflows.js";

/**
 * The shop: the seed scenarios of a serverless API, one app for every platform. Users and orders live in libSQL,
 * orders are processed by a queue consumer, a daily cron writes a report to KV, and a request counter lives in KV
 * (never in module state, which is per isolate and lost on every cold start). Checkouts are a durable workflow
 * (charge, reserve, confirm, refund on failure) and the inventory report a fan-out over SKUs: examples/shop/workflows.ts.
 */
export const app = new Skiff({
  queues: { orders: Order, "orders-dlq": DeadOrder },
  workflows: { checkout: CheckoutInput, "inventory-report": InventoryReportInput },
  // The timer cron wakes waits longer than the queue's longest delay (the review's day-long timeout). Daily, not
  // the default every 5 minutes, so the shop deploys on Vercel Hobby (crons at most daily) like its queue drain;
  // a review that times out is then refunded within a day of its deadline. On paid plans, drop this line.
  workflowTimers: "0 0 * * *",
  migrations,
});

// What the routes answer, for the OpenAPI document (/openapi.json) and the interactive reference (/docs). Requests
// are described by each route's validate(); errors are problem+json, documented once.
const User = z.object({ id: z.number().int(), email: z.email(), name: z.string(), created_at: z.string() });
const OrderRow = z.object({
  id: z.uuid(),
  sku: z.string(),
  qty: z.number().int(),
  email: z.email().nullable(),
  status: z.enum(["accepted", "processing", "fulfilled", "failed"]),
  attempts: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
const Step = z.object({ name: z.string(), kind: z.string(), status: z.string(), attempts: z.number().int() });
const Run = z.looseObject({
  id: z.string(),
  status: z.string(),
  output: z.unknown().optional(),
  steps: z.array(Step),
});
const RunStarted = z.object({ runId: z.string(), created: z.boolean() });
const RunAction = z.object({
  runId: z.string(),
  event: z.literal("review").optional(),
  cancel: z.literal("requested").optional(),
});
const Report = z.looseObject({
  generatedAt: z.string(),
  totals: z.object({ orders: z.number(), units: z.number() }),
});
const location = { Location: "Where to GET the result" };
const runNotFound = responds(404, "No run with this id");

// Every request gets an id (echoed as X-Request-Id) and one JSON log line; bodies are capped well below every
// platform's limit; public traffic is rate limited per client IP, exactly, in libSQL, before any auth so that
// requests with wrong API keys count too (guessing keys is limited). Never key a limiter on the raw x-api-key.
app.use("*", requestId(), logger());
app.use("/api/*", bodyLimit({ maxBytes: 64 * 1024 }));
app.use("/api/*", rateLimit({ limit: 120, windowSeconds: 60, key: "ip", store: "db" }));

// Writes need the admin API key (x-api-key); the hash comes from the env at the first request.
const writer = apiKeyAuth({ keys: shopKeys });

// Count API requests after the response is sent: KV is eventually consistent and (on Cloudflare) takes about one
// write per second per key, so this is an approximate counter, off the request's critical path.
app.use("/api/*", async function countRequests(c, next) {
  await next();
  c.executionCtx.waitUntil(
    c.var.kv.get("stats:requests").then((n) => c.var.kv.put("stats:requests", String(Number(n ?? 0) + 1))),
  );
});

app.get("/", (c) => c.json({ name: "skiff shop", platform: c.var.platform }));

// The OpenAPI 3.1 document of every route here, and a self-contained interactive reference of it (no CDN).
app.get(
  "/openapi.json",
  openapi(app, {
    info: {
      title: "skiff shop",
      version: "0.1.0",
      description: "The skiff example API: users, orders, checkouts and reports.",
    },
  }),
);
app.get("/docs", apiReference({ url: "/openapi.json", title: "skiff shop API" }));

app.get(
  "/api/users",
  responds(200, z.object({ users: z.array(User) }), "The first users, by id"),
  validate("query", UserListQuery),
  async (c) => {
    const { limit } = c.req.valid("query");
    const users = await c.var.db.all(
      sql`SELECT id, email, name, created_at FROM users ORDER BY id LIMIT ${limit}`,
    );
    return c.json({ users });
  },
);

app.post(
  "/api/users",
  writer,
  describeRoute({
    summary: "Create a user",
    responses: {
      201: { schema: User, description: "The new user" },
      409: { description: "A user with this email exists" },
    },
  }),
  validate("json", NewUser),
  async (c) => {
    const user = c.req.valid("json");
    const existing = await c.var.db.get(sql`SELECT id FROM users WHERE email = ${user.email}`);
    if (existing) throw new ProblemError(409, { detail: `A user with email ${user.email} already exists` });
    try {
      const created = await c.var.db.get(
        sql`INSERT INTO users (email, name) VALUES (${user.email}, ${user.name}) RETURNING id, email, name, created_at`,
      );
      return c.json(created, 201);
    } catch (error) {
      // Two requests for the same email can both pass the check above; the UNIQUE index decides.
      if (String(error).includes("UNIQUE"))
        throw new ProblemError(409, { detail: `A user with email ${user.email} already exists` });
      throw error;
    }
  },
);

// A client that retries with the same Idempotency-Key gets the first answer back, and the order is placed once.
// `writer` runs first, so keys belong to the verified API key: another key's caller never gets this answer.
app.post(
  "/api/orders",
  writer,
  idempotency({ store: "db" }),
  describeRoute({
    summary: "Place an order: processed by the orders queue",
    responses: {
      202: {
        schema: z.object({ orderId: z.uuid(), status: z.literal("accepted") }),
        description: "Accepted",
        headers: location,
      },
    },
  }),
  validate("json", NewOrder),
  async (c) => {
    const input = c.req.valid("json");
    const orderId = crypto.randomUUID();
    await c.var.db.run(
      sql`INSERT INTO orders (id, sku, qty, email, status) VALUES (${orderId}, ${input.sku}, ${input.qty}, ${input.email ?? null}, 'accepted')`,
    );
    await c.var.queues.orders.send({ orderId, sku: input.sku, qty: input.qty });
    c.header("Location", `/api/orders/${orderId}`);
    return c.json({ orderId, status: "accepted" }, 202);
  },
);

app.get(
  "/api/orders/:id",
  responds(200, OrderRow, "The order and where it is"),
  responds(404, "No order with this id"),
  async (c) => {
    const order = await c.var.db.get(
      sql`SELECT id, sku, qty, email, status, attempts, created_at, updated_at FROM orders WHERE id = ${c.req.param("id")}`,
    );
    if (!order) throw new ProblemError(404, { detail: `No order ${c.req.param("id")}` });
    return c.json(order);
  },
);

app.get(
  "/api/reports/latest",
  responds(200, Report, "The daily report"),
  responds(404, "No report yet"),
  async (c) => {
    const report = await c.var.kv.get("report:latest", "json");
    if (!report)
      throw new ProblemError(404, { detail: "No report yet: the daily report cron (0 9 * * *) has not run" });
    return c.json(report);
  },
);

app.get(
  "/api/stats",
  responds(200, z.object({ requests: z.number() }), "Approximate request count"),
  async (c) => c.json({ requests: Number((await c.var.kv.get("stats:requests")) ?? 0) }),
);

// Checkouts run as a workflow: 202 with the run's id at once, then GET the run to follow it. The run id derives from
// the client's orderId, so a retried POST finds its run (same basket) or is refused (another basket: 409).
app.post(
  "/api/checkouts",
  writer,
  describeRoute({
    summary: "Check out a basket (a durable workflow)",
    tags: ["checkouts"],
    responses: {
      202: {
        schema: RunStarted,
        description: "The run started, or found again for a retried POST",
        headers: location,
      },
      409: { description: "This orderId was checked out with another basket" },
    },
  }),
  validate("json", CheckoutInput),
  async (c) => {
    const input = c.req.valid("json");
    const run = await c.var.workflows.checkout.start(input, { id: `checkout-${input.orderId}` });
    if (!run.created && !sameJson((await foundRun(c.var.workflows.checkout, run.id)).input, input))
      throw new ProblemError(409, {
        detail: `Order ${input.orderId} was already checked out with another basket`,
      });
    c.header("Location", `/api/checkouts/${run.id}`);
    return c.json({ runId: run.id, created: run.created }, 202);
  },
);

app.get(
  "/api/checkouts/:id",
  describeRoute({ summary: "Follow a checkout", tags: ["checkouts"] }),
  responds(200, Run, "The run and its steps"),
  runNotFound,
  async (c) => c.json(runView(await foundRun(c.var.workflows.checkout, c.req.param("id")))),
);

// What the review and cancel routes answer: the action accepted, no such run, or a run already finished.
const runActionResponses = {
  202: { schema: RunAction, headers: location },
  404: { description: "No run with this id" },
  409: { description: "The run has finished" },
};

// Large checkouts wait for a review; the decision reaches the run as an event (kept if it arrives early).
app.post(
  "/api/checkouts/:id/review",
  writer,
  describeRoute({
    summary: "Approve or reject a checkout held for review",
    tags: ["checkouts"],
    responses: runActionResponses,
  }),
  validate("json", ReviewDecision),
  async (c) => {
    const run = await foundRun(c.var.workflows.checkout, c.req.param("id"));
    assertActive(run, "review");
    await c.var.workflows.checkout.sendEvent(run.id, { type: "review", payload: c.req.valid("json") });
    c.header("Location", `/api/checkouts/${run.id}`);
    return c.json({ runId: run.id, event: "review" }, 202);
  },
);

// Cancelling stops the run at its next step and undoes what it did, newest first (release the stock, refund).
app.delete(
  "/api/checkouts/:id",
  writer,
  describeRoute({
    summary: "Cancel a checkout and undo its steps",
    tags: ["checkouts"],
    responses: runActionResponses,
  }),
  async (c) => {
    const run = await foundRun(c.var.workflows.checkout, c.req.param("id"));
    assertActive(run, "cancel");
    await c.var.workflows.checkout.cancel(run.id);
    c.header("Location", `/api/checkouts/${run.id}`);
    return c.json({ runId: run.id, cancel: "requested" }, 202);
  },
);

app.post(
  "/api/reports/inventory",
  writer,
  describeRoute({
    summary: "Start an inventory report (a fan-out workflow)",
    tags: ["reports"],
    responses: { 202: { schema: RunStarted, headers: location } },
  }),
  validate("json", InventoryReportInput),
  async (c) => {
    const run = await c.var.workflows["inventory-report"].start(c.req.valid("json"));
    c.header("Location", `/api/reports/inventory/${run.id}`);
    return c.json({ runId: run.id, created: run.created }, 202);
  },
);

app.get(
  "/api/reports/inventory/:id",
  describeRoute({ summary: "Follow an inventory report", tags: ["reports"] }),
  responds(200, Run, "The run, with the report as its output"),
  runNotFound,
  async (c) => c.json(runView(await foundRun(c.var.workflows["inventory-report"], c.req.param("id")))),
);

// Orders move accepted -> processing -> fulfilled. The SKU "FAIL" always fails, to show retries and dead-letters.
app.queue(
  "orders",
  async (message, ctx) => {
    const { orderId, sku } = message.body;
    await ctx.db.run(
      sql`UPDATE orders SET status = 'processing', attempts = ${message.attempts}, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          WHERE id = ${orderId} AND status IN ('accepted', 'processing')`,
    );
    if (sku === "FAIL") throw new Error(`order ${orderId}: SKU FAIL cannot be fulfilled`);
    // Idempotent: a redelivered message finds the order fulfilled and changes nothing.
    await ctx.db.run(
      sql`UPDATE orders SET status = 'fulfilled', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          WHERE id = ${orderId} AND status = 'processing'`,
    );
  },
  { maxRetries: 2, deadLetter: "orders-dlq", maxBatchSize: 10 },
);

app.queue("orders-dlq", async (message, ctx) => {
  const body = message.body as { orderId?: unknown } | null;
  const orderId = typeof body?.orderId === "string" ? body.orderId : undefined;
  ctx.log.error("order dead-lettered", { orderId, body: message.body });
  if (orderId) {
    await ctx.db.run(
      sql`UPDATE orders SET status = 'failed', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ${orderId}`,
    );
  }
});

app.cron("0 9 * * *", async (event, ctx) => {
  const byStatus = await ctx.db.all<{ status: string; orders: number; units: number }>(
    sql`SELECT status, count(*) AS orders, coalesce(sum(qty), 0) AS units FROM orders GROUP BY status ORDER BY status`,
  );
  const report = {
    generatedAt: new Date(event.scheduledTime).toISOString(),
    totals: {
      orders: byStatus.reduce((n, r) => n + r.orders, 0),
      units: byStatus.reduce((n, r) => n + r.units, 0),
    },
    byStatus,
  };
  await ctx.kv.put("report:latest", JSON.stringify(report));
});

app.workflow("checkout", (event, step, ctx) => checkout(event, step, ctx));
app.workflow("inventory-report", (event, step, ctx) => inventoryReport(event, step, ctx));

// The seed's storage trigger (a thumbnail of every photo uploaded to the `uploads` bucket) and database trigger (a
// welcome note for every user inserted, whoever inserts it): examples/shop/thumbnails.ts and changes.ts.
app.route("/", thumbnails);
app.route("/", userChanges);
