import { ProblemError, Skiff, sql } from "skiff";
import { apiKeyAuth, bodyLimit, idempotency, logger, rateLimit, requestId, validate } from "skiff/middleware";
import { shopKeys } from "./auth.js";
import { DeadOrder, migrations, NewOrder, NewUser, Order, UserListQuery } from "./schema.js";

/**
 * The shop: the seed scenarios of a serverless API, one app for every platform. Users and orders live in libSQL,
 * orders are processed by a queue consumer, a daily cron writes a report to KV, and a request counter lives in KV
 * (never in module state, which is per isolate and lost on every cold start).
 */
export const app = new Skiff({ queues: { orders: Order, "orders-dlq": DeadOrder }, migrations });

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

app.get("/api/users", validate("query", UserListQuery), async (c) => {
  const { limit } = c.req.valid("query");
  const users = await c.var.db.all(
    sql`SELECT id, email, name, created_at FROM users ORDER BY id LIMIT ${limit}`,
  );
  return c.json({ users });
});

app.post("/api/users", writer, validate("json", NewUser), async (c) => {
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
});

// A client that retries with the same Idempotency-Key gets the first answer back, and the order is placed once.
// `writer` runs first, so keys belong to the verified API key: another key's caller never gets this answer.
app.post("/api/orders", writer, idempotency({ store: "db" }), validate("json", NewOrder), async (c) => {
  const input = c.req.valid("json");
  const orderId = crypto.randomUUID();
  await c.var.db.run(
    sql`INSERT INTO orders (id, sku, qty, email, status) VALUES (${orderId}, ${input.sku}, ${input.qty}, ${input.email ?? null}, 'accepted')`,
  );
  await c.var.queues.orders.send({ orderId, sku: input.sku, qty: input.qty });
  c.header("Location", `/api/orders/${orderId}`);
  return c.json({ orderId, status: "accepted" }, 202);
});

app.get("/api/orders/:id", async (c) => {
  const order = await c.var.db.get(
    sql`SELECT id, sku, qty, email, status, attempts, created_at, updated_at FROM orders WHERE id = ${c.req.param("id")}`,
  );
  if (!order) throw new ProblemError(404, { detail: `No order ${c.req.param("id")}` });
  return c.json(order);
});

app.get("/api/reports/latest", async (c) => {
  const report = await c.var.kv.get("report:latest", "json");
  if (!report)
    throw new ProblemError(404, { detail: "No report yet: the daily report cron (0 9 * * *) has not run" });
  return c.json(report);
});

app.get("/api/stats", async (c) => c.json({ requests: Number((await c.var.kv.get("stats:requests")) ?? 0) }));

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
