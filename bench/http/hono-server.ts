import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { requestId } from "../../middleware/request-id/index.js";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// Bare Hono on @hono/node-server: the baseline skiff is built on, with no middleware. BENCH_STACK=requestId adds
// skiff's request-id middleware, to show what one middleware costs on this server.
const app = new Hono();
const withRequestId = process.env.BENCH_STACK === "requestId";
if (withRequestId) app.use(requestId());
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
  ready(info.port, { stack: withRequestId ? "requestId" : "none" }),
);
