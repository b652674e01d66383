import { Skiff } from "skiff";
import { bodyLimit, logger, rateLimit, requestId, validate } from "skiff/middleware";
import { serve } from "skiff/node";
import { z } from "zod";
import { formatAndDrop } from "./json-logger.js";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// The shop's middleware stack (examples/shop/app.ts) on the bench's three endpoints: request id, one JSON request
// line, a 64 KiB body limit, an exact per-IP rate limit counted in libSQL (here :memory:; the limit is high enough
// never to reject during a run, so what is measured is its cost) and a validated JSON body on POST.
// Its peer is bench/http/shop-fastify-server.ts.
const Order = z.object({
  sku: z.string(),
  qty: z.number().int().positive(),
  email: z.string(),
  note: z.string(),
});
const app = new Skiff({ log: { sink: formatAndDrop } });
app.use(requestId(), logger());
app.use(bodyLimit({ maxBytes: 64 * 1024 }));
app.use(rateLimit({ limit: 1_000_000_000, windowSeconds: 60, key: "ip", store: "db" }));
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", validate("json", Order), (c) => c.json(acceptOrder(c.req.valid("json"))));

const server = await serve(app, {
  port: 0,
  env: { NODE_ENV: "production" },
  database: { url: ":memory:" },
  scheduler: false,
  queues: false,
  testScheduled: false,
});
ready(server.port, { stack: "requestId → logger → bodyLimit → rateLimit (libSQL) → validate (zod)" });
