import { Skiff } from "skiff";
import { logger, requestId } from "skiff/middleware";
import { serve } from "skiff/node";
import { formatAndDrop } from "./json-logger.js";
import { TEXT, acceptOrder, ready, userJson } from "./endpoints.js";

// skiff as a user deploys it on Node: serve() with its default stack (bindings, request id, one JSON request line
// per request, the problem+json error handler), scheduler and queue worker off so nothing else runs. The log sink
// formats each line and drops it, as the Hono peer's does (bench/http/json-logger.ts). BENCH_STACK=bare leaves out
// the request-id and logger middleware, to show what they cost.
const app = new Skiff({ log: { sink: formatAndDrop } });
const bare = process.env.BENCH_STACK === "bare";
if (!bare) app.use(requestId(), logger());

app.get("/hello", (c) => c.text(TEXT));
app.get("/users/:id", (c) => c.json(userJson(c.req.param("id"), c.req.query("include"))));
app.post("/orders", async (c) => c.json(acceptOrder(await c.req.json())));

const server = await serve(app, {
  port: 0,
  env: { NODE_ENV: "production" },
  database: { url: ":memory:" },
  scheduler: false,
  queues: false,
  testScheduled: false,
});
ready(server.port, { stack: ["bindings", ...(bare ? [] : ["requestId", "logger"]), "onError"].join(" → ") });
