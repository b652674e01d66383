import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { formatAndDrop, jsonLogger } from "./json-logger.js";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// Bare Hono on @hono/node-server: the baseline skiff is built on, with no middleware. BENCH_STACK=requestId adds
// Hono's own request-id middleware; BENCH_STACK=requestId+logger also a logger writing skiff's JSON request line
// (bench/http/json-logger.ts): the like-for-like peer of skiff's requestId() + logger().
const app = new Hono();
const stack = process.env.BENCH_STACK ?? "";
if (stack === "requestId" || stack === "requestId+logger") app.use(requestId());
if (stack === "requestId+logger") app.use(jsonLogger(formatAndDrop));
app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
  ready(info.port, {
    stack: stack ? `hono/request-id${stack.includes("logger") ? " → JSON logger" : ""}` : "none",
  }),
);
